-- One row per site-register row with the facts the BTS site rules read — its commune's reference unit and
-- box, the mast-type code list, the other register rows near it, the live stations within 50 m of it and
-- their operators — and one column per rule of _bts__checks.yml.
{% set as_of = as_of_date() %}

with
    sites as (select * from {{ ref('stg_bts__sites') }}),

    communes as (select * from {{ ref('stg_reference__legacy_communes') }}),

    mast_types as (select * from {{ ref('bts_mast_types') }}),

    operators as (select register_name from {{ ref('bts_operators') }}),

    province_box as ({{ province_extent('communes') }}),

    -- the live stations of valid cells within 50 m of the register row, per operator
    site_stations as (
        select
            p.site_source_file,
            p.site_source_row,
            count(distinct c.station_id) as live_stations,
            list_distinct(list(c.operator)) as live_station_operators,
            min(to_timestamp(c.created_unix)) as first_live_cell_seen_at
        from {{ ref('int_bts_cells_paired_with_sites') }} as p
        inner join
            {{ ref('chk_bts__cells') }} as c
            on c._source_file = p.cell_source_file
            and c._source_row = p.cell_source_row
        where c.is_valid_cell and c.is_station_live
        group by p.site_source_file, p.site_source_row
    ),

    -- another register row with a smaller site id near this one: within 50 m, or within 150 m with the same
    -- address
    earlier_neighbours as (
        select
            a._source_file,
            a._source_row,
            bool_or(
                {{ telecom_haversine_m('a.lat', 'a.lon', 'b.lat', 'b.lon') }} <= 50
            ) as has_earlier_within_50m,
            bool_or(
                {{ address_key('a.address') }} = {{ address_key('b.address') }}
            ) as has_earlier_same_address_within_150m
        from sites as a
        inner join
            sites as b
            on {{ telecom_is_within_m('a.lat', 'a.lon', 'b.lat', 'b.lon', 150) }}
            and (b.site_id < a.site_id or (b.site_id = a.site_id and b._source_row < a._source_row))
        group by a._source_file, a._source_row
    ),

    prepared as (
        select
            coalesce(
                s.site_id, 'row:' || s._source_file || ':' || cast(s._source_row as varchar)
            ) as record_key,
            s.*,
            {{ as_of }} as as_of,
            c.commune_code is not null as is_commune_known,
            c.district_code,
            cast(null as varchar) as agency_code,
            cast(null as varchar) as operator,
            coalesce(
                s.lat between c.lat_min and c.lat_max and s.lon between c.lon_min and c.lon_max, false
            ) as is_inside_commune_box,
            coalesce(
                s.lat between b.lat_min and b.lat_max and s.lon between b.lon_min and b.lon_max, false
            ) as is_inside_province,
            strpos({{ address_key('s.address') }}, {{ admin_name_key('c.commune_name') }})
            > 0 as has_commune_in_address,
            regexp_matches(s.address, '(^|,\s*)(X|P|TT|H|TX|TP|T)\.\s*') as is_address_abbreviated,
            m.mast_type is not null as is_mast_type_known,
            m.min_height_m,
            m.max_height_m,
            list_transform(string_split(s.operators, ';'), lambda x:trim(x)) as operators_listed,
            (select list(register_name) from operators) as known_operators,
            coalesce(st.live_stations, 0) as live_stations_within_50m,
            coalesce(st.live_station_operators, []) as live_station_operators,
            st.first_live_cell_seen_at,
            coalesce(n.has_earlier_within_50m, false) as has_earlier_within_50m,
            coalesce(n.has_earlier_same_address_within_150m, false) as has_earlier_same_address_within_150m,
            row_number() over (
                partition by s.site_id order by s._source_file, s._source_row
            ) as site_id_occurrence
        from sites as s
        left join communes as c on c.commune_code = s.commune_code
        left join mast_types as m on m.mast_type = s.mast_type
        left join
            site_stations as st on st.site_source_file = s._source_file and st.site_source_row = s._source_row
        left join earlier_neighbours as n on n._source_file = s._source_file and n._source_row = s._source_row
        left join province_box as b on true
    ),

    checked as (
        select
            prepared.*,
            len(
                list_filter(operators_listed, lambda x: not list_contains(known_operators, x))
            ) as unknown_operators_listed,
            len(
                list_filter(live_station_operators, lambda x: not list_contains(operators_listed, x))
            ) as station_operators_not_listed,
            len(
                list_filter(operators_listed, lambda x: not list_contains(live_station_operators, x))
            ) as listed_operators_without_station
        from prepared
    )

select checked.* {{ quality_rule_columns() }}
from checked
