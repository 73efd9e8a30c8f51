-- One row per (cell row, register row) pair at most 50 m apart (haversine, R = 6,371,008.8 m;
-- docs/contracts/bts.md rule 4), over every delivered row with a position: the geometry the quality rules and
-- the station-to-site matching share. A cell row is identified by its file and line.
with
    cells as (select * from {{ ref('stg_bts__cells') }} where lat is not null and lon is not null),

    sites as (select * from {{ ref('stg_bts__sites') }} where lat is not null and lon is not null)

select
    cells._source_file as cell_source_file,
    cells._source_row as cell_source_row,
    sites.site_id,
    sites._source_file as site_source_file,
    sites._source_row as site_source_row,
    {{ telecom_haversine_m('cells.lat', 'cells.lon', 'sites.lat', 'sites.lon') }} as distance_m
from cells
inner join sites on {{ telecom_is_within_m('cells.lat', 'cells.lon', 'sites.lat', 'sites.lon', 50) }}
