-- Administrative units as a type-2 slowly changing dimension: one row per unit version.
-- Legacy units (province 30, its districts and communes) are valid until the 2025-07-01 reorganisation;
-- the units of province 31 (communes only, no district level) from then on. A code can appear twice (a new
-- unit reuses the code of one of its constituents): the validity dates tell the versions apart.
with
    provinces as (select * from {{ ref('stg_reference__provinces') }}),

    legacy_province as (select * from provinces where province_code = '30'),

    new_province as (select * from provinces where province_code = '31'),

    default_successor as (
        select x.commune_code, x.new_commune_code, n.new_commune_name
        from {{ ref('stg_reference__commune_crosswalk_2025') }} as x
        inner join {{ ref('stg_reference__communes_2025') }} as n on n.new_commune_code = x.new_commune_code
        where x.is_default
    ),

    units as (
        select
            'province' as unit_level,
            p.province_code as unit_code,
            p.province_name as unit_name,
            cast(null as {{ dbt.type_string() }}) as district_code,
            cast(null as {{ dbt.type_string() }}) as district_name,
            p.province_code,
            p.province_name,
            cast(null as double) as lat,
            cast(null as double) as lon,
            cast(null as {{ dbt.type_string() }}) as successor_unit_code,
            cast(null as {{ dbt.type_string() }}) as successor_unit_name,
            p.valid_from,
            p.valid_to
        from provinces as p

        union all

        select
            'district',
            d.district_code,
            d.district_name,
            d.district_code,
            d.district_name,
            p.province_code,
            p.province_name,
            d.lat,
            d.lon,
            cast(null as {{ dbt.type_string() }}),
            cast(null as {{ dbt.type_string() }}),
            p.valid_from,
            p.valid_to
        from {{ ref('stg_reference__legacy_districts') }} as d
        cross join legacy_province as p

        union all

        select
            'commune',
            c.commune_code,
            c.commune_name,
            c.district_code,
            c.district_name,
            p.province_code,
            p.province_name,
            c.lat,
            c.lon,
            s.new_commune_code,
            s.new_commune_name,
            p.valid_from,
            p.valid_to
        from {{ ref('stg_reference__legacy_communes') }} as c
        cross join legacy_province as p
        left join default_successor as s on s.commune_code = c.commune_code

        union all

        select
            'commune',
            n.new_commune_code,
            n.new_commune_name,
            cast(null as {{ dbt.type_string() }}),
            cast(null as {{ dbt.type_string() }}),
            p.province_code,
            p.province_name,
            n.lat,
            n.lon,
            cast(null as {{ dbt.type_string() }}),
            cast(null as {{ dbt.type_string() }}),
            p.valid_from,
            p.valid_to
        from {{ ref('stg_reference__communes_2025') }} as n
        cross join new_province as p
    ),

    keyed as (
        select
            -- stable across rebuilds (incremental facts keep it): level digit, code, and 1 for units from
            -- 2025-07-01
            cast(
                case unit_level when 'province' then 10000000 when 'district' then 20000000 else 30000000 end
                + cast(unit_code as integer) * 10
                + case when valid_from >= cast('2025-07-01' as date) then 1 else 0 end as integer
            ) as admin_unit_key,
            units.*,
            valid_from <= {{ as_of_date() }} and valid_to > {{ as_of_date() }} as is_current
        from units
    )

select *
from keyed
union all
select
    -1,
    'unknown',
    '?',
    'Không xác định',
    null,
    null,
    null,
    null,
    null,
    null,
    null,
    null,
    cast('1900-01-01' as date),
    cast('9999-12-31' as date),
    true
