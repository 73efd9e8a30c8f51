-- One row per public-services indicator of kpi_targets.csv, computed from the marts with the formulas of
-- docs/contracts/dossiers.md: the catalogue counts from dim_procedure (as of var('as_of_date')); satisfaction
-- and digitisation from fct_dossiers (one row per dossier after the contract's de-duplication; the year of a
-- dossier is the year of its reception day, i.e. of the kept line's file), as of the end of their year.
{% set as_of = as_of_date() %}

with
    procedures as (select * from {{ ref('dim_procedure') }} where procedure_key <> -1),

    dossiers as (select * from {{ ref('fct_dossiers') }}),

    catalogue as (
        select
            count(*) as procedures,
            sum(case when is_full_online then 1 else 0 end) as full_online,
            sum(case when is_on_national_portal then 1 else 0 end) as on_national_portal,
            sum(case when is_essential_da06 then 1 else 0 end) as essential,
            sum(case when is_essential_da06 and is_full_online then 1 else 0 end) as essential_full_online
        from procedures
    ),

    yearly as (
        select
            extract(year from received_date) as reception_year,
            sum(case when is_rated then 1 else 0 end) as rated,
            sum(case when is_positive_rating then 1 else 0 end) as rated_positive,
            sum(case when is_digitised then 1 else 0 end) as digitised
        from dossiers
        group by extract(year from received_date)
    ),

    y2022 as (select * from yearly where reception_year = 2022),

    y2023 as (select * from yearly where reception_year = 2023),

    figures as (
        select 'public_services_total' as indicator_id, 1.0 * procedures as value, {{ as_of }} as as_of
        from catalogue
        union all
        select 'public_services_full_online', 1.0 * full_online, {{ as_of }}
        from catalogue
        union all
        select 'services_on_national_portal', 1.0 * on_national_portal, {{ as_of }}
        from catalogue
        union all
        select 'essential_services_provided', 1.0 * essential, {{ as_of }}
        from catalogue
        union all
        select 'essential_services_full_online', 1.0 * essential_full_online, {{ as_of }}
        from catalogue
        union all
        select
            'dossier_satisfaction_pct_2023',
            (select case when rated > 0 then 100.0 * rated_positive / rated end from y2023),
            cast('2023-12-31' as date)
        union all
        select
            'dossier_satisfaction_pct_2022',
            (select case when rated > 0 then 100.0 * rated_positive / rated end from y2022),
            cast('2022-12-31' as date)
        union all
        select
            'digitised_dossiers_growth_pct_2023',
            (
                select
                    case
                        when y2022.digitised > 0 then 100.0 * (1.0 * y2023.digitised / y2022.digitised - 1)
                    end
                from y2022
                cross join y2023
            ),
            cast('2023-12-31' as date)
    )

select
    cast(indicator_id as {{ dbt.type_string() }}) as indicator_id,
    cast(value as double) as value,
    cast(as_of as date) as as_of
from figures
