-- One row per site-register row but the repeats of a site id (rule bts.site_id_duplicated keeps the first),
-- with its canonical site: the smallest `Mã vị trí` among the kept register rows within 50 m (itself
-- included). A row with a smaller id within 50 m is the same site entered twice (rule
-- bts.site_duplicate_position).
with
    checked as (
        select *
        from {{ ref('chk_bts__sites') }}
        where not coalesce(site_id_duplicated, false) and site_id is not null
    ),

    neighbours as (
        select a.site_id, min(b.site_id) as canonical_site_id, count(*) as register_rows
        from checked as a
        inner join checked as b on {{ telecom_is_within_m('a.lat', 'a.lon', 'b.lat', 'b.lon', 50) }}
        group by a.site_id
    )

select
    checked.site_id,
    checked._source_file,
    checked._source_row,
    coalesce(neighbours.canonical_site_id, checked.site_id) as canonical_site_id,
    coalesce(checked.site_duplicate_position, false) as is_duplicate_entry,
    coalesce(neighbours.register_rows, 1) as register_rows_at_position,
    checked.commune_code,
    checked.lat,
    checked.lon,
    checked.mast_type,
    checked.mast_height_m,
    checked.permit_no,
    checked.permit_date,
    checked.inspection_date,
    checked.operators,
    {{ quality_rules_failed('chk_bts__sites', 'checked') }} as quality_rules_failed
from checked
left join neighbours on neighbours.site_id = checked.site_id
