-- One row per delivered row of the agency register with the facts the register rules read (the reference
-- units of its district and commune) and one column per rule of _dossiers__checks.yml.
with
    agencies as (select * from {{ ref('stg_dossiers__agencies') }}),

    communes as (select * from {{ ref('stg_reference__legacy_communes') }}),

    districts as (select * from {{ ref('stg_reference__legacy_districts') }}),

    prepared as (
        select
            coalesce(
                a.agency_code, 'row:' || a._source_file || ':' || cast(a._source_row as varchar)
            ) as record_key,
            a.*,
            cast(null as varchar) as operator,
            d.district_code is not null as is_district_known,
            c.commune_code is not null as is_commune_known,
            d.district_name as official_district_name,
            c.commune_name as official_commune_name,
            c.district_code as commune_district_code,
            {{ admin_name_key('a.district_name') }}
            = {{ admin_name_key('d.district_name') }} as is_district_name_same_unit,
            {{ admin_name_key('a.commune_name') }}
            = {{ admin_name_key('c.commune_name') }} as is_commune_name_same_unit,
            row_number() over (
                partition by a.agency_code order by a._source_file, a._source_row
            ) as code_occurrence
        from agencies as a
        left join districts as d on d.district_code = a.district_code
        left join communes as c on c.commune_code = a.commune_code
    )

select prepared.* {{ quality_rule_columns() }}
from prepared
