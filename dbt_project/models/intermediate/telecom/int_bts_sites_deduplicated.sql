-- One row per site-register row with its canonical site: the smallest `Mã vị trí` among the register rows
-- within 50 m (itself included). Clean sites are at least 200 m apart, so a row within 50 m of another is the
-- same site entered twice (docs/contracts/bts.md, site_duplicate_address).
with sites as (
    select * from {{ ref('stg_bts__sites') }}
),

neighbours as (
    select
        a.site_id,
        min(b.site_id) as canonical_site_id,
        count(*) as register_rows
    from sites as a
    inner join sites as b
        on {{ telecom_is_within_m('a.lat', 'a.lon', 'b.lat', 'b.lon', 50) }}
    group by a.site_id
)

select
    sites.site_id,
    coalesce(neighbours.canonical_site_id, sites.site_id) as canonical_site_id,
    coalesce(neighbours.canonical_site_id, sites.site_id) <> sites.site_id as is_duplicate_entry,
    coalesce(neighbours.register_rows, 1) as register_rows_at_position,
    sites.commune_code,
    sites.lat,
    sites.lon,
    sites.mast_type,
    sites.mast_height_m,
    sites.permit_no,
    sites.permit_date,
    sites.inspection_date,
    sites.operators
from sites
left join neighbours on neighbours.site_id = sites.site_id
