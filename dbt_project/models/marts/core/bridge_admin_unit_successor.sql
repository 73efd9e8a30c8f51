-- The 2025 reorganisation as a bridge between the two geographies of dim_admin_unit: one row per (legacy
-- commune, 2025 commune) pair of vietnamadminunits' converter table. A legacy commune split between several
-- new units has one row per new unit, one of them its default successor; report a legacy fact in the 2025
-- geography through the default row (each legacy commune has exactly one), or through every row to see the
-- split.
with
    crosswalk as (select * from {{ ref('stg_reference__commune_crosswalk_2025') }}),

    communes as (select * from {{ ref('dim_admin_unit') }} where unit_level = 'commune'),

    pairs as (
        select
            legacy.admin_unit_key as legacy_admin_unit_key,
            successor.admin_unit_key as successor_admin_unit_key,
            x.commune_code as legacy_unit_code,
            x.new_commune_code as successor_unit_code,
            coalesce(x.is_default, false) as is_default_successor,
            count(*) over (partition by x.commune_code) as successor_count
        from crosswalk as x
        inner join
            communes as legacy
            on legacy.unit_code = x.commune_code
            and {{ admin_unit_valid_on('legacy', "cast('2025-06-30' as date)") }}
        inner join
            communes as successor
            on successor.unit_code = x.new_commune_code
            and {{ admin_unit_valid_on('successor', "cast('2025-07-01' as date)") }}
    )

select
    legacy_admin_unit_key,
    successor_admin_unit_key,
    legacy_unit_code,
    successor_unit_code,
    is_default_successor,
    cast(successor_count as integer) as successor_count
from pairs
