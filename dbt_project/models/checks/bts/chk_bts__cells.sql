-- One row per delivered cell row with the facts the BTS cell rules read — the radio technology and operator
-- code lists, the province's extent, the register site nearest to it, its station — and one column per rule
-- of _bts__checks.yml. `is_valid_cell` and `is_station_live` are the contract's rules 1-3
-- (docs/contracts/bts.md) as the rules below define them; the telecom marts count stations with them.
with
    cells as (select * from {{ ref('stg_bts__cells') }}),

    technologies as (select * from {{ ref('bts_radio_technologies') }}),

    operators as (select * from {{ ref('bts_operators') }}),

    communes as (select * from {{ ref('stg_reference__legacy_communes') }}),

    province_box as ({{ province_extent('communes') }}),

    nearest_sites as (
        select
            p.cell_source_file,
            p.cell_source_row,
            min(p.distance_m) as nearest_site_m,
            arg_min(p.site_id, p.distance_m) as nearest_site_id,
            arg_min(s.commune_code, p.distance_m) as nearest_site_commune_code
        from {{ ref('int_bts_cells_paired_with_sites') }} as p
        inner join
            {{ ref('stg_bts__sites') }} as s
            on s._source_file = p.site_source_file
            and s._source_row = p.site_source_row
        group by p.cell_source_file, p.cell_source_row
    ),

    facts as (
        select
            coalesce(
                nullif(c.cell_key, '::::'), 'row:' || c._source_file || ':' || cast(c._source_row as varchar)
            ) as record_key,
            c.*,
            {{ telecom_as_of_unix() }} as as_of_unix,
            t.radio_code is not null as is_radio_known,
            t.first_trial_on,
            t.in_service_from,
            t.max_cell_id,
            t.max_unit,
            t.max_area,
            coalesce(t.in_service_from <= {{ as_of_date() }}, false) as is_radio_in_service,
            coalesce(c.mcc = 452, false) as is_mcc_vietnam,
            o.net_code is not null as is_net_known,
            o.register_name as operator,
            coalesce(
                c.lat between b.lat_min and b.lat_max and c.lon between b.lon_min and b.lon_max, false
            ) as is_inside_province,
            c.area is not null
            and c.cell is not null
            and c.lon is not null
            and c.lat is not null as has_required_fields,
            coalesce(
                c.updated_unix >= {{ telecom_as_of_unix() }} - 365 * 86400, false
            ) as is_updated_within_year,
            n.nearest_site_id,
            n.nearest_site_m,
            n.nearest_site_commune_code as commune_code,
            cm.district_code,
            cast(null as varchar) as agency_code,
            row_number() over (
                partition by c.cell_key order by c._source_file, c._source_row
            ) as key_occurrence
        from cells as c
        left join technologies as t on t.radio_code = c.radio
        left join operators as o on o.mcc = c.mcc and o.net_code = c.net
        left join
            nearest_sites as n on n.cell_source_file = c._source_file and n.cell_source_row = c._source_row
        left join communes as cm on cm.commune_code = n.nearest_site_commune_code
        left join province_box as b on true
    ),

    prepared as (
        select
            facts.*,
            is_radio_in_service
            and is_mcc_vietnam
            and is_net_known
            and is_inside_province
            and has_required_fields as is_valid_cell,
            case
                when
                    is_radio_in_service
                    and is_mcc_vietnam
                    and is_net_known
                    and is_inside_province
                    and has_required_fields
                then
                    radio
                    || ':'
                    || cast(mcc as varchar)
                    || ':'
                    || cast(net as varchar)
                    || ':'
                    || base_station_id
            end as station_id
        from facts
    ),

    stations as (
        select station_id, bool_or(is_updated_within_year) as is_station_live
        from prepared
        where station_id is not null
        group by station_id
    ),

    checked as (
        select prepared.*, coalesce(stations.is_station_live, false) as is_station_live
        from prepared
        left join stations on stations.station_id = prepared.station_id
    )

select checked.* {{ quality_rule_columns() }}
from checked
