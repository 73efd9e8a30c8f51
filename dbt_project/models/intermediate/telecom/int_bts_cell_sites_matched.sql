-- One row per (cell row, register row) pair at most 50 m apart (haversine, R = 6,371,008.8 m), with the
-- distance and the register row's canonical site (docs/contracts/bts.md rule 4).
with cells as (
    select * from {{ ref('int_bts_cells_validated') }}
),

sites as (
    select * from {{ ref('int_bts_sites_deduplicated') }}
)

select
    cells.cell_row_id,
    cells.station_id,
    cells.is_valid,
    sites.site_id,
    sites.canonical_site_id,
    {{ telecom_haversine_m('cells.lat', 'cells.lon', 'sites.lat', 'sites.lon') }} as distance_m
from cells
inner join sites
    on {{ telecom_is_within_m('cells.lat', 'cells.lon', 'sites.lat', 'sites.lon', 50) }}
