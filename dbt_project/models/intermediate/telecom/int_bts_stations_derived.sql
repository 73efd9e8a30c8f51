-- One row per station: the valid cells sharing (radio, mcc, net, base-station id). Live when one of its valid
-- cells was updated in the 365 days before the as-of instant; its site is the smallest register id within 50
-- m of any of its valid cells, taken to its canonical site (docs/contracts/bts.md rules 2-4).
with
    cells as (select * from {{ ref('int_bts_cells_validated') }} where is_valid),

    matches as (select * from {{ ref('int_bts_cell_sites_matched') }} where is_valid),

    sites as (select * from {{ ref('int_bts_sites_deduplicated') }}),

    stations as (
        select
            station_id,
            radio,
            mcc,
            net,
            base_station_id,
            count(distinct cell_key) as cells_count,
            count(*) as cell_rows,
            min(created_date) as first_seen_date,
            max(updated_date) as last_seen_date,
            max(case when is_updated_within_year then 1 else 0 end) = 1 as is_live
        from cells
        group by station_id, radio, mcc, net, base_station_id
    ),

    station_sites as (select station_id, min(site_id) as matched_site_id from matches group by station_id)

select stations.*, station_sites.matched_site_id, sites.canonical_site_id as site_id
from stations
left join station_sites on station_sites.station_id = stations.station_id
left join sites on sites.site_id = station_sites.matched_site_id
