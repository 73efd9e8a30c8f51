-- population_coverage_3g4g_pct: share of counted residents living in communes covered by a live 3G/4G cell.
with
    population as (select admin_unit_key, counted_residents from {{ ref('fct_commune_population') }}),

    coverage as (select admin_unit_key, is_covered_3g4g from {{ ref('fct_commune_coverage') }})

select
    cast('population_coverage_3g4g_pct' as {{ dbt.type_string() }}) as indicator_id,
    100.0
    * sum(case when c.is_covered_3g4g then p.counted_residents else 0 end)
    / nullif(sum(p.counted_residents), 0) as value,
    {{ as_of_date() }} as as_of
from population as p
left join coverage as c on c.admin_unit_key = p.admin_unit_key
