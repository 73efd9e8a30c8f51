-- One row per procedure of the catalogue, plus the unknown member (-1). The key is the procedure code's
-- digits (1.005129 -> 1005129): stable across catalogue deliveries, so the incremental fct_dossiers keeps
-- valid keys. A code the quality rules find malformed (dossiers.catalogue_code_malformed) has no key and is
-- left out (its dossiers take the unknown member); a code delivered twice keeps its first row
-- (dossiers.catalogue_code_duplicated).
with
    procedures as (
        select *
        from {{ ref('chk_dossiers__procedures') }}
        where
            procedure_code is not null
            and not coalesce(catalogue_code_malformed, false)
            and not coalesce(catalogue_code_duplicated, false)
    ),

    final as (
        select
            cast(replace(procedure_code, '.', '') as integer) as procedure_key,
            cast(procedure_code as {{ dbt.type_string() }}) as procedure_code,
            cast(procedure_name as {{ dbt.type_string() }}) as procedure_name,
            cast(field_code as {{ dbt.type_string() }}) as field_code,
            cast(field_name as {{ dbt.type_string() }}) as field_name,
            cast(handling_level as {{ dbt.type_string() }}) as handling_level,
            cast(service_level as integer) as service_level,
            coalesce(service_level = 4, false) as is_full_online,
            coalesce(is_on_national_portal, false) as is_on_national_portal,
            coalesce(is_essential_da06, false) as is_essential_da06,
            cast(legal_days as integer) as legal_days,
            coalesce(has_fee, false) as has_fee,
            cast(fee_vnd as bigint) as fee_vnd
        from procedures
    )

select *
from final
union all
select
    -1,
    '?',
    'Không xác định',
    null,
    null,
    'unknown',
    cast(null as integer),
    false,
    false,
    false,
    cast(null as integer),
    false,
    cast(null as bigint)
