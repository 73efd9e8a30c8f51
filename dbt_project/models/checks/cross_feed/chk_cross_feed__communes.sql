-- One row per commune of the province valid on the as-of date, with what each feed says of it: residents
-- counted in the register (fct_commune_population), a commune agency in the dossier register, 3G/4G coverage
-- (fct_commune_coverage); one column per rule of _cross_feed__checks.yml.
{% set as_of = as_of_date() %}

with
    communes as (
        select admin_unit_key, unit_code as commune_code, district_code
        from {{ ref('dim_admin_unit') }}
        where unit_level = 'commune' and {{ admin_unit_valid_on('', as_of) }}
    ),

    population as (select commune_code, counted_residents from {{ ref('fct_commune_population') }}),

    coverage as (select commune_code, is_covered_3g4g from {{ ref('fct_commune_coverage') }}),

    agencies as (
        select distinct commune_code
        from {{ ref('stg_dossiers__agencies') }}
        where agency_level = 'commune' and commune_code is not null
    ),

    prepared as (
        select
            c.commune_code as record_key,
            c.commune_code,
            c.district_code,
            cast(null as varchar) as agency_code,
            cast(null as varchar) as operator,
            coalesce(p.counted_residents, 0) as counted_residents,
            coalesce(v.is_covered_3g4g, false) as is_covered_3g4g,
            a.commune_code is not null as has_commune_agency
        from communes as c
        left join population as p on p.commune_code = c.commune_code
        left join coverage as v on v.commune_code = c.commune_code
        left join agencies as a on a.commune_code = c.commune_code
    )

select prepared.* {{ quality_rule_columns() }}
from prepared
