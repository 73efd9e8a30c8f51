{{ config(materialized='view') }}
-- The OCOP products the figures count (ocop_products_2022, ocop_products_2023 and the published star split):
-- the rows of fct_ocop_certifications with is_counted_on_as_of — listed, active on the as-of date, one row
-- per product — with their group and their commune's district. Select from here rather than filter the
-- certifications.
with
    certifications as (select * from {{ ref('fct_ocop_certifications') }} where is_counted_on_as_of),

    product_groups as (select * from {{ ref('dim_ocop_group') }}),

    admin_units as (select * from {{ ref('dim_admin_unit') }})

select
    c.product_id,
    c.product_name,
    c.product_group_key,
    g.group_name,
    c.producer_key,
    c.admin_unit_key,
    cast(
        case when c.admin_unit_key <> -1 then u.district_code end as {{ dbt.type_string() }}
    ) as district_code,
    cast(
        case when c.admin_unit_key <> -1 then u.district_name end as {{ dbt.type_string() }}
    ) as district_name,
    c.stars,
    c.star_class,
    c.is_five_star_potential,
    c.score,
    c.recognition_year,
    c.decision_no,
    c.decision_date_key,
    c.valid_to_date_key,
    c.quality_rules_failed
from certifications as c
left join product_groups as g on g.product_group_key = c.product_group_key
left join admin_units as u on u.admin_unit_key = c.admin_unit_key
