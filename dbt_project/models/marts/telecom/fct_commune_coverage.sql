-- One row per commune valid on the as-of date. A commune is covered by 3G/4G when a valid cell of a live UMTS
-- or LTE station lies inside its bounding box or within 2 km of its centroid (docs/contracts/bts.md rule 5).
with
    communes as (
        select *
        from {{ ref('dim_admin_unit') }}
        where unit_level = 'commune' and {{ admin_unit_valid_on('', as_of_date()) }}
    ),

    bounds as (select * from {{ ref('stg_reference__legacy_communes') }}),

    cells_3g4g as (
        select cells.lat, cells.lon
        from {{ ref('fct_cells') }} as cells
        inner join
            {{ ref('dim_radio_technology') }} as technologies
            on technologies.radio_technology_key = cells.radio_technology_key
        where cells.is_live and technologies.is_3g4g
    ),

    commune_cells as (
        select
            communes.admin_unit_key,
            sum(
                case
                    when
                        cells_3g4g.lat between bounds.lat_min and bounds.lat_max
                        and cells_3g4g.lon between bounds.lon_min and bounds.lon_max
                    then 1
                    else 0
                end
            ) as cells_in_box,
            min({{ telecom_haversine_m('communes.lat', 'communes.lon', 'cells_3g4g.lat', 'cells_3g4g.lon') }})
            / 1000.0 as nearest_cell_km
        from communes
        left join bounds on bounds.commune_code = communes.unit_code and communes.province_code = '30'
        cross join cells_3g4g
        group by communes.admin_unit_key
    )

select
    cast(communes.admin_unit_key as integer) as admin_unit_key,
    cast(communes.unit_code as {{ dbt.type_string() }}) as commune_code,
    cast({{ date_key(as_of_date()) }} as integer) as as_of_date_key,
    cast(coalesce(commune_cells.cells_in_box, 0) as integer) as live_3g4g_cells_in_box,
    cast(commune_cells.nearest_cell_km as double) as nearest_live_3g4g_cell_km,
    cast(
        coalesce(commune_cells.cells_in_box, 0) > 0
        or coalesce(commune_cells.nearest_cell_km <= 2.0, false) as boolean
    ) as is_covered_3g4g
from communes
left join commune_cells on commune_cells.admin_unit_key = communes.admin_unit_key
