-- What each figure of kpi_article_figures rests on: the delivered records it reads (source_records), those it
-- counts (counted_records), and, one row per quality rule that cleans it, the records that rule leaves out
-- (a record may be left out by several rules; the row with rule_id null gives source - counted). The rules
-- are the check models' columns the marts clean by (docs/quality.md).
with
    residents as (select * from {{ ref('chk_population__residents') }}),

    procedures as (select * from {{ ref('chk_dossiers__procedures') }}),

    lines as (select * from {{ ref('chk_dossiers__lines') }}),

    cells as (select * from {{ ref('chk_bts__cells') }}),

    sites as (select * from {{ ref('chk_bts__sites') }}),

    communes as (select * from {{ ref('chk_cross_feed__communes') }}),

    products as (select * from {{ ref('chk_ocop__products') }}),

    counted_residents as (select count(*) as n from {{ ref('fct_residents') }} where is_counted_resident),

    counted_procedures as (select count(*) as n from {{ ref('dim_procedure') }} where procedure_key <> -1),

    dossiers_by_year as (
        select extract(year from received_date) as reception_year, count(*) as n
        from {{ ref('fct_dossiers') }}
        group by extract(year from received_date)
    ),

    live_sites as (select count(distinct site_key) as n from {{ ref('fct_stations') }} where site_key <> -1),

    counted_products as (
        select recognition_year from {{ ref('int_ocop_listings_deduplicated') }} where is_counted_on_as_of
    ),

    {%- set groups = {
    'population': {
        'figures': ['population_records_digitised', 'population_digitised_pct'],
        'from': 'residents', 'where': 'is_living', 'counted': '(select n from counted_residents)',
        'rules': ['population.duplicate_record', 'population.record_id_duplicated', 'population.dead_still_active'],
    },
    'catalogue': {
        'figures': ['public_services_total', 'public_services_full_online', 'services_on_national_portal',
                    'essential_services_provided', 'essential_services_full_online'],
        'from': 'procedures', 'where': 'true', 'counted': '(select n from counted_procedures)',
        'rules': ['dossiers.catalogue_code_duplicated', 'dossiers.catalogue_code_malformed'],
    },
    'dossiers_2022': {
        'figures': ['dossier_satisfaction_pct_2022'],
        'from': 'lines', 'where': 'extract(year from received_file_date) = 2022',
        'counted': '(select coalesce(sum(n), 0) from dossiers_by_year where reception_year = 2022)',
        'rules': ['dossiers.duplicate_sync', 'dossiers.dossier_code_missing'],
    },
    'dossiers_2023': {
        'figures': ['dossier_satisfaction_pct_2023'],
        'from': 'lines', 'where': 'extract(year from received_file_date) = 2023',
        'counted': '(select coalesce(sum(n), 0) from dossiers_by_year where reception_year = 2023)',
        'rules': ['dossiers.duplicate_sync', 'dossiers.dossier_code_missing'],
    },
    'dossiers_2022_2023': {
        'figures': ['digitised_dossiers_growth_pct_2023'],
        'from': 'lines', 'where': 'extract(year from received_file_date) in (2022, 2023)',
        'counted': '(select coalesce(sum(n), 0) from dossiers_by_year where reception_year in (2022, 2023))',
        'rules': ['dossiers.duplicate_sync', 'dossiers.dossier_code_missing'],
    },
    'cells': {
        'figures': ['bts_stations'],
        'from': 'cells', 'where': 'true',
        'counted': '(select count(*) from cells where is_valid_cell and is_station_live)',
        'rules': ['bts.radio_not_in_service', 'bts.mcc_not_vietnam', 'bts.network_code_unknown',
                  'bts.coordinates_outside_province', 'bts.area_missing', 'bts.cell_id_missing',
                  'bts.cell_coordinates_missing', 'bts.cell_not_seen_for_a_year', 'bts.duplicate_cell'],
    },
    'sites': {
        'figures': ['bts_sites'],
        'from': 'sites', 'where': 'true', 'counted': '(select n from live_sites)',
        'rules': ['bts.site_id_duplicated', 'bts.site_duplicate_position', 'bts.site_without_live_station'],
    },
    'coverage': {
        'figures': ['population_coverage_3g4g_pct'],
        'from': 'communes', 'where': 'true',
        'counted': '(select count(*) from communes where is_covered_3g4g)',
        'rules': ['cross_feed.commune_without_3g4g_coverage', 'cross_feed.commune_without_residents'],
    },
    'ocop_2022': {
        'figures': ['ocop_products_2022'],
        'from': 'products', 'where': 'recognition_year <= 2022',
        'counted': '(select count(*) from counted_products where recognition_year <= 2022)',
        'rules': ['ocop.expired_still_listed', 'ocop.duplicate_product', 'ocop.product_id_duplicated'],
    },
    'ocop_2023': {
        'figures': ['ocop_products_2023'],
        'from': 'products', 'where': 'recognition_year <= 2023',
        'counted': '(select count(*) from counted_products where recognition_year <= 2023)',
        'rules': ['ocop.expired_still_listed', 'ocop.duplicate_product', 'ocop.product_id_duplicated'],
    },
} %}

    {%- for name, group in groups.items() %}
        inputs_{{ name }} as (
            select
                cast(null as {{ dbt.type_string() }}) as rule_id,
                count(*) as source_records,
                {{ group['counted'] }} as counted_records,
                count(*) - {{ group['counted'] }} as excluded_records
            from {{ group['from'] }}
            where {{ group['where'] }}
            {%- for rule in group['rules'] %}
                union all
                select
                    '{{ rule }}',
                    count(*),
                    {{ group['counted'] }},
                    sum(case when coalesce({{ quality_rule_column(rule) }}, false) then 1 else 0 end)
                from {{ group['from'] }}
                where {{ group['where'] }}
            {%- endfor %}
        ),
    {%- endfor %}

    figures as (
        {%- for name, group in groups.items() %}
            {%- for figure in group['figures'] %}
                select
                    '{{ figure }}' as indicator_id, rule_id, source_records, counted_records, excluded_records
                from inputs_{{ name }} {{- "\n    union all" if not loop.last }}
                {%- endfor %} {{- "\n    union all" if not loop.last }}
        {%- endfor %}
    )

select
    cast(f.indicator_id as {{ dbt.type_string() }}) as indicator_id,
    cast(t.feed as {{ dbt.type_string() }}) as feed,
    cast(f.source_records as bigint) as source_records,
    cast(f.counted_records as bigint) as counted_records,
    cast(f.rule_id as {{ dbt.type_string() }}) as rule_id,
    cast(f.excluded_records as bigint) as excluded_records
from figures as f
inner join {{ ref('kpi_targets') }} as t on t.indicator_id = f.indicator_id
