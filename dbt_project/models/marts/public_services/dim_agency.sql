-- One row per agency of the register, plus the unknown member (-1). The key is built from the code's three
-- numeric parts (aaa.bb.cc.H23 -> aaa*10000 + bb*100 + cc; 000.04.38.H23 -> 438): stable across deliveries,
-- so the incremental fct_dossiers keeps valid keys. The district is null for provincial departments. A code
-- the quality rules find malformed (dossiers.agency_code_malformed) has no key and is left out (its dossiers
-- take the unknown member); a code delivered twice keeps its first row (dossiers.agency_code_duplicated). A
-- level outside the list (dossiers.agency_level_out_of_list) is 'unknown', as for the unknown member.
with
    agencies as (
        select *
        from {{ ref('chk_dossiers__agencies') }}
        where
            agency_code is not null
            and not coalesce(agency_code_malformed, false)
            and not coalesce(agency_code_duplicated, false)
    ),

    final as (
        select
            cast(substr(agency_code, 1, 3) as integer) * 10000
            + cast(substr(agency_code, 5, 2) as integer) * 100
            + cast(substr(agency_code, 8, 2) as integer) as agency_key,
            cast(agency_code as {{ dbt.type_string() }}) as agency_code,
            cast(agency_name as {{ dbt.type_string() }}) as agency_name,
            cast(coalesce(agency_level, 'unknown') as {{ dbt.type_string() }}) as agency_level,
            cast(district_code as {{ dbt.type_string() }}) as district_code,
            cast(district_name as {{ dbt.type_string() }}) as district_name,
            cast(commune_code as {{ dbt.type_string() }}) as commune_code,
            cast(commune_name as {{ dbt.type_string() }}) as commune_name
        from agencies
    )

select *
from final
union all
select -1, '?', 'Không xác định', 'unknown', null, null, null, null
