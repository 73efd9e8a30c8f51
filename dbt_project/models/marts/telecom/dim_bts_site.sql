-- One row per register site after de-duplication (the canonical row: the smallest `Mã vị trí` among register
-- rows within 50 m), plus the unknown member (-1). The commune is looked up on the as-of date.
with
    sites as (select * from {{ ref('int_bts_sites_deduplicated') }}),

    admin_units as (select * from {{ ref('dim_admin_unit') }} where unit_level = 'commune'),

    canonical as (select * from sites where not is_duplicate_entry),

    entries as (select canonical_site_id, count(*) as register_entries from sites group by canonical_site_id),

    joined as (
        select
            cast(row_number() over (order by canonical.site_id) as integer) as site_key,
            canonical.site_id,
            canonical.commune_code,
            coalesce(admin_units.admin_unit_key, -1) as admin_unit_key,
            canonical.lat,
            canonical.lon,
            canonical.mast_type,
            canonical.mast_height_m,
            canonical.permit_no,
            canonical.permit_no is not null and canonical.permit_date is not null as has_permit,
            {{ date_key('canonical.permit_date') }} as permit_date_key,
            {{ date_key('canonical.inspection_date') }} as inspection_date_key,
            coalesce(
                canonical.inspection_date < {{ dbt.dateadd('day', -1095, as_of_date()) }}, true
            ) as is_inspection_overdue,
            canonical.operators as operators_listed,
            entries.register_entries
        from canonical
        left join entries on entries.canonical_site_id = canonical.site_id
        left join
            admin_units
            on admin_units.unit_code = canonical.commune_code
            and {{ admin_unit_valid_on('admin_units', as_of_date()) }}
    )

select
    cast(site_key as integer) as site_key,
    cast(site_id as {{ dbt.type_string() }}) as site_id,
    cast(commune_code as {{ dbt.type_string() }}) as commune_code,
    cast(admin_unit_key as integer) as admin_unit_key,
    cast(lat as double) as lat,
    cast(lon as double) as lon,
    cast(mast_type as {{ dbt.type_string() }}) as mast_type,
    cast(mast_height_m as double) as mast_height_m,
    cast(permit_no as {{ dbt.type_string() }}) as permit_no,
    cast(has_permit as boolean) as has_permit,
    cast(permit_date_key as integer) as permit_date_key,
    cast(inspection_date_key as integer) as inspection_date_key,
    cast(is_inspection_overdue as boolean) as is_inspection_overdue,
    cast(operators_listed as {{ dbt.type_string() }}) as operators_listed,
    cast(register_entries as integer) as register_entries
from joined

union all

select
    cast(-1 as integer),
    cast('?' as {{ dbt.type_string() }}),
    cast(null as {{ dbt.type_string() }}),
    cast(-1 as integer),
    cast(null as double),
    cast(null as double),
    cast(null as {{ dbt.type_string() }}),
    cast(null as double),
    cast(null as {{ dbt.type_string() }}),
    cast(false as boolean),
    cast(-1 as integer),
    cast(-1 as integer),
    cast(false as boolean),
    cast(null as {{ dbt.type_string() }}),
    cast(0 as integer)
