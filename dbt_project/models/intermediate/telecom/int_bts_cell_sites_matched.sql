-- One row per (cell row, kept register row) pair at most 50 m apart (int_bts_cells_paired_with_sites,
-- docs/contracts/bts.md rule 4), with the distance and the register row's canonical site.
with
    pairs as (select * from {{ ref('int_bts_cells_paired_with_sites') }}),

    cells as (select * from {{ ref('int_bts_cells_validated') }}),

    sites as (select * from {{ ref('int_bts_sites_deduplicated') }})

select
    cells.cell_row_id,
    cells.station_id,
    cells.is_valid,
    sites.site_id,
    sites.canonical_site_id,
    pairs.distance_m
from pairs
inner join cells on cells._source_file = pairs.cell_source_file and cells._source_row = pairs.cell_source_row
inner join sites on sites._source_file = pairs.site_source_file and sites._source_row = pairs.site_source_row
