-- Every derivable figure of the province's Đề án 06 report, computed from the marts, beside its published
-- target.
with
    figures as (
        select indicator_id, value, as_of
        from {{ ref('int_population_figures_computed') }}
        union all
        select indicator_id, value, as_of
        from {{ ref('int_public_services_figures_computed') }}
        union all
        select indicator_id, value, as_of
        from {{ ref('int_telecom_figures_computed') }}
        union all
        select indicator_id, value, as_of
        from {{ ref('int_ocop_figures_computed') }}
        union all
        select indicator_id, value, as_of
        from {{ ref('int_coverage_figures_computed') }}
    ),

    targets as (select * from {{ ref('kpi_targets') }} where derivable = 'yes'),

    compared as (
        select
            t.indicator_id,
            t.label_vi as label,
            t.feed,
            f.value,
            -- counts of the scaled feeds (population) are compared at the delivery's scale (1 for real data;
            -- read here rather than in dbt_project.yml, where a changed environment variable makes dbt parse
            -- everything)
            case
                when t.unit = 'records'
                then round(t.value * {{ var('kpi_count_scale', env_var('KHO06_KPI_COUNT_SCALE', '1')) }}, 0)
                else t.value
            end as target,
            t.unit,
            t.as_of as target_as_of,
            f.as_of as computed_as_of
        from targets as t
        left join figures as f on f.indicator_id = t.indicator_id
    )

select
    indicator_id,
    label,
    feed,
    value,
    target,
    unit,
    target_as_of,
    computed_as_of,
    case
        when value is null
        then false
        when unit = 'percent'
        then abs(value - target) <= 0.1
        else abs(value - target) < 0.5
    end as matches
from compared
