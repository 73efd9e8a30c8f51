-- One row per commune-level unit valid on var('as_of_date') (dim_admin_unit), plus the unknown unit (-1):
-- the residents counted in population_records_digitised and their households. Communes without residents
-- have 0; the figures sum to the population totals.
{% set as_of = as_of_date() %}

with
    residents as (select * from {{ ref('fct_residents') }} where is_counted_resident),

    households as (select * from {{ ref('dim_household') }} where counted_members > 0),

    communes as (
        select admin_unit_key, unit_code as commune_code
        from {{ ref('dim_admin_unit') }}
        where unit_level = 'commune' and {{ admin_unit_valid_on('', as_of) }}
        union all
        select -1, cast(null as {{ dbt.type_string() }})
    ),

    resident_counts as (
        select admin_unit_key, count(*) as counted_residents from residents group by admin_unit_key
    ),

    household_counts as (
        select admin_unit_key, count(*) as households from households group by admin_unit_key
    ),

    final as (
        select
            c.admin_unit_key,
            c.commune_code,
            cast(coalesce(r.counted_residents, 0) as integer) as counted_residents,
            cast(coalesce(h.households, 0) as integer) as households
        from communes as c
        left join resident_counts as r on r.admin_unit_key = c.admin_unit_key
        left join household_counts as h on h.admin_unit_key = c.admin_unit_key
    )

select *
from final
