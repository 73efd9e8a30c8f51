-- One row per OCOP indicator of kpi_targets.csv, computed from fct_ocop_certifications with the formulas of
-- docs/contracts/ocop.md: active listings on var('as_of_date'), one row per product name key, then the
-- products first recognised by the end of 2022 / 2023.
with
    certifications as (select * from {{ ref('fct_ocop_certifications') }} where is_counted_on_as_of),

    figures as (
        select
            'ocop_products_2022' as indicator_id,
            sum(case when recognition_year <= 2022 then 1 else 0 end) as value
        from certifications

        union all

        select
            'ocop_products_2023' as indicator_id,
            sum(case when recognition_year <= 2023 then 1 else 0 end) as value
        from certifications
    )

select
    cast(indicator_id as {{ dbt.type_string() }}) as indicator_id,
    cast(coalesce(value, 0) as double) as value,
    {{ as_of_date() }} as as_of
from figures
