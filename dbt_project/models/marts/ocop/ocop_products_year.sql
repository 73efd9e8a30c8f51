-- The counted OCOP products (fct_ocop_products_counted) by year of first recognition × star class (the three
-- published classes: 3★, 4★, potential 5★) × product group × district: one row per combination of every year
-- from the first recognition to the as-of year, every class, every group (with -1) and every district valid
-- on the as-of date (with the products of an unknown district), zero where none. products_cumulative is the
-- report's "luỹ kế": products recognised in or before the year (still listed and active on the as-of date).
{% set as_of = as_of_date() %}

with
    products as (select * from {{ ref('fct_ocop_products_counted') }}),

    first_year as (select min(recognition_year) as first_year from products),

    years as (
        select cast(first_year + n as integer) as recognition_year
        from first_year
        cross join ({{ integer_spine(2) }}) as spine
        where first_year + n <= extract(year from {{ as_of }})
    ),

    star_classes as (
        select '3_star' as star_class
        union all
        select '4_star'
        union all
        select '5_star_candidate'
        union all
        select distinct 'unrated'
        from products
        where star_class is null
    ),

    product_groups as (select product_group_key, group_name from {{ ref('dim_ocop_group') }}),

    districts as (
        select unit_code as district_code, unit_name as district_name
        from {{ ref('dim_admin_unit') }}
        where unit_level = 'district' and {{ admin_unit_valid_on('', as_of) }}
        union all
        select cast(null as {{ dbt.type_string() }}), cast(null as {{ dbt.type_string() }})
    ),

    grid as (
        select
            years.recognition_year,
            star_classes.star_class,
            product_groups.product_group_key,
            product_groups.group_name,
            districts.district_code,
            districts.district_name
        from years
        cross join star_classes
        cross join product_groups
        cross join districts
    ),

    recognised as (
        select
            recognition_year,
            coalesce(star_class, 'unrated') as star_class,
            product_group_key,
            district_code,
            count(*) as products
        from products
        group by recognition_year, coalesce(star_class, 'unrated'), product_group_key, district_code
    ),

    counted as (
        select grid.*, coalesce(r.products, 0) as products_recognised
        from grid
        left join
            recognised as r
            on r.recognition_year = grid.recognition_year
            and r.star_class = grid.star_class
            and r.product_group_key = grid.product_group_key
            and coalesce(r.district_code, '?') = coalesce(grid.district_code, '?')
    )

select
    cast(recognition_year as integer) as recognition_year,
    cast(star_class as {{ dbt.type_string() }}) as star_class,
    cast(product_group_key as integer) as product_group_key,
    cast(group_name as {{ dbt.type_string() }}) as group_name,
    cast(district_code as {{ dbt.type_string() }}) as district_code,
    cast(district_name as {{ dbt.type_string() }}) as district_name,
    cast(products_recognised as bigint) as products_recognised,
    cast(
        sum(products_recognised) over (
            partition by star_class, product_group_key, district_code
            order by recognition_year
            rows between unbounded preceding and current row
        ) as bigint
    ) as products_cumulative
from counted
