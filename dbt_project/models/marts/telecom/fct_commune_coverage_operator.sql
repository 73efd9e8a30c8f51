-- One row per commune valid on the as-of date × operator × radio technology (the known members of
-- dim_operator and dim_radio_technology): the coverage rule of docs/contracts/bts.md (rule 5) applied to one
-- operator's live cells of one technology — covered when such a cell lies inside the commune's bounding box
-- or within 2 km of its centroid. fct_commune_coverage is the same rule over every operator's live UMTS and
-- LTE cells.
with
    communes as (
        select *
        from {{ ref('dim_admin_unit') }}
        where unit_level = 'commune' and {{ admin_unit_valid_on('', as_of_date()) }}
    ),

    bounds as (select * from {{ ref('stg_reference__legacy_communes') }}),

    operators as (select * from {{ ref('dim_operator') }} where operator_key <> -1),

    technologies as (select * from {{ ref('dim_radio_technology') }} where radio_technology_key <> -1),

    live_cells as (
        select operator_key, radio_technology_key, lat, lon from {{ ref('fct_cells') }} where is_live
    ),

    commune_cells as (
        select
            communes.admin_unit_key,
            live_cells.operator_key,
            live_cells.radio_technology_key,
            sum(
                case
                    when
                        live_cells.lat between bounds.lat_min and bounds.lat_max
                        and live_cells.lon between bounds.lon_min and bounds.lon_max
                    then 1
                    else 0
                end
            ) as cells_in_box,
            min({{ telecom_haversine_m('communes.lat', 'communes.lon', 'live_cells.lat', 'live_cells.lon') }})
            / 1000.0 as nearest_cell_km
        from communes
        left join bounds on bounds.commune_code = communes.unit_code and communes.province_code = '30'
        cross join live_cells
        group by communes.admin_unit_key, live_cells.operator_key, live_cells.radio_technology_key
    )

select
    cast(communes.admin_unit_key as integer) as admin_unit_key,
    cast(communes.unit_code as {{ dbt.type_string() }}) as commune_code,
    cast(operators.operator_key as integer) as operator_key,
    cast(operators.net_code as integer) as net_code,
    cast(operators.operator_name as {{ dbt.type_string() }}) as operator_name,
    cast(technologies.radio_technology_key as integer) as radio_technology_key,
    cast(technologies.radio_code as {{ dbt.type_string() }}) as radio_code,
    cast(technologies.generation as {{ dbt.type_string() }}) as generation,
    cast(technologies.is_3g4g as boolean) as is_3g4g,
    cast({{ date_key(as_of_date()) }} as integer) as as_of_date_key,
    cast(coalesce(c.cells_in_box, 0) as integer) as live_cells_in_box,
    cast(c.nearest_cell_km as double) as nearest_live_cell_km,
    cast(
        coalesce(c.cells_in_box, 0) > 0 or coalesce(c.nearest_cell_km <= 2.0, false) as boolean
    ) as is_covered
from communes
cross join operators
cross join technologies
left join
    commune_cells as c
    on c.admin_unit_key = communes.admin_unit_key
    and c.operator_key = operators.operator_key
    and c.radio_technology_key = technologies.radio_technology_key
