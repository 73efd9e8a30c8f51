-- Counted residents by commune, sex and five-year age band on var('as_of_date') (the snapshot date): one row
-- per (commune, sex, age band) that has residents. A resident whose date of birth a quality rule rejects has
-- no age: it is counted on a row with a null age band under that rule (age_excluded_by_rule), so the rows sum
-- to population_records_digitised.
{% set as_of = as_of_date() %}

with
    residents as (select * from {{ ref('fct_residents_counted') }}),

    communes as (select * from {{ ref('dim_admin_unit') }}),

    age_bands as (select * from {{ ref('population_age_bands') }}),

    counted as (
        select admin_unit_key, sex, age_band, age_excluded_by_rule, count(*) as residents
        from residents
        group by admin_unit_key, sex, age_band, age_excluded_by_rule
    )

select
    cast({{ as_of }} as date) as snapshot_date,
    cast(c.admin_unit_key as integer) as admin_unit_key,
    cast(case when c.admin_unit_key <> -1 then u.unit_code end as {{ dbt.type_string() }}) as commune_code,
    cast(case when c.admin_unit_key <> -1 then u.unit_name end as {{ dbt.type_string() }}) as commune_name,
    cast(u.district_code as {{ dbt.type_string() }}) as district_code,
    cast(u.district_name as {{ dbt.type_string() }}) as district_name,
    cast(c.sex as {{ dbt.type_string() }}) as sex,
    cast(c.age_band as {{ dbt.type_string() }}) as age_band,
    cast(b.age_from as integer) as age_from,
    cast(b.age_to as integer) as age_to,
    cast(c.age_excluded_by_rule as {{ dbt.type_string() }}) as age_excluded_by_rule,
    cast(c.residents as bigint) as residents
from counted as c
left join communes as u on u.admin_unit_key = c.admin_unit_key
left join age_bands as b on b.age_band = c.age_band
