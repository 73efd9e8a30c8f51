-- One row per delivered cell row. Every row is kept (invalid, duplicate and stale rows included) and flagged;
-- counts of stations and sites use is_valid / is_live (docs/contracts/bts.md). The site of a cell is the
-- nearest register row within 50 m (ties: smallest id), taken to its canonical site; -1 when none.
with
    cells as (select * from {{ ref('int_bts_cells_validated') }}),

    nearest_site as (
        select cell_row_id, canonical_site_id, distance_m
        from
            (
                select
                    cell_row_id,
                    canonical_site_id,
                    distance_m,
                    row_number() over (
                        partition by cell_row_id order by distance_m, site_id
                    ) as rank_by_distance
                from {{ ref('int_bts_cell_sites_matched') }}
            ) as ranked
        where rank_by_distance = 1
    ),

    stations as (select * from {{ ref('int_bts_stations_derived') }}),

    operators as (select * from {{ ref('dim_operator') }}),

    technologies as (select * from {{ ref('dim_radio_technology') }}),

    sites as (select * from {{ ref('dim_bts_site') }}),

    joined as (
        select
            cells.cell_row_id,
            cells.cell_key,
            coalesce(operators.operator_key, -1) as operator_key,
            coalesce(technologies.radio_technology_key, -1) as radio_technology_key,
            cells.station_id,
            coalesce(sites.site_key, -1) as site_key,
            coalesce(sites.admin_unit_key, -1) as admin_unit_key,
            {{ date_key('cells.created_date') }} as created_date_key,
            {{ date_key('cells.updated_date') }} as updated_date_key,
            cells.lat,
            cells.lon,
            cells.range_m,
            cells.samples,
            nearest_site.distance_m as site_distance_m,
            cells.is_valid,
            cells.is_valid and coalesce(stations.is_live, false) as is_live,
            cells.is_duplicate_row,
            not cells.is_updated_within_year as is_stale,
            not cells.is_inside_province as has_coordinates_outside_province,
            not cells.is_network_code_valid as has_invalid_network_code,
            not cells.is_radio_in_service as has_radio_not_in_service,
            not cells.has_required_fields or cells.range_m is null as has_missing_fields
        from cells
        left join nearest_site on nearest_site.cell_row_id = cells.cell_row_id
        left join stations on stations.station_id = cells.station_id
        left join operators on operators.mcc = cells.mcc and operators.net_code = cells.net
        left join technologies on technologies.radio_code = cells.radio
        left join sites on sites.site_id = nearest_site.canonical_site_id
    )

select
    cast(cell_row_id as bigint) as cell_row_id,
    cast(cell_key as {{ dbt.type_string() }}) as cell_key,
    cast(operator_key as integer) as operator_key,
    cast(radio_technology_key as integer) as radio_technology_key,
    cast(station_id as {{ dbt.type_string() }}) as station_id,
    cast(site_key as integer) as site_key,
    cast(admin_unit_key as integer) as admin_unit_key,
    cast(created_date_key as integer) as created_date_key,
    cast(updated_date_key as integer) as updated_date_key,
    cast(lat as double) as lat,
    cast(lon as double) as lon,
    cast(range_m as integer) as range_m,
    cast(samples as integer) as samples,
    cast(site_distance_m as double) as site_distance_m,
    cast(is_valid as boolean) as is_valid,
    cast(is_live as boolean) as is_live,
    cast(is_duplicate_row as boolean) as is_duplicate_row,
    cast(is_stale as boolean) as is_stale,
    cast(has_coordinates_outside_province as boolean) as has_coordinates_outside_province,
    cast(has_invalid_network_code as boolean) as has_invalid_network_code,
    cast(has_radio_not_in_service as boolean) as has_radio_not_in_service,
    cast(has_missing_fields as boolean) as has_missing_fields
from joined
