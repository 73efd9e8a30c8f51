-- One row per operator × radio technology (the known members of dim_operator and dim_radio_technology) on the
-- as-of date: live stations (fct_stations, the bts_stations figure), their cells and register sites, and the
-- communes and counted residents their coverage reaches (fct_commune_coverage_operator, rule 5 of
-- docs/contracts/bts.md for that operator and technology alone).
with
    operators as (select * from {{ ref('dim_operator') }} where operator_key <> -1),

    technologies as (select * from {{ ref('dim_radio_technology') }} where radio_technology_key <> -1),

    stations as (
        select
            operator_key,
            radio_technology_key,
            count(*) as live_stations,
            sum(cells_count) as live_cells,
            count(distinct case when site_key <> -1 then site_key end) as sites_with_live_station
        from {{ ref('fct_stations') }}
        group by operator_key, radio_technology_key
    ),

    population as (select admin_unit_key, counted_residents from {{ ref('fct_commune_population') }}),

    coverage as (
        select
            c.operator_key,
            c.radio_technology_key,
            count(*) as communes,
            sum(case when c.is_covered then 1 else 0 end) as communes_covered,
            sum(case when c.is_covered then coalesce(p.counted_residents, 0) else 0 end) as residents_covered
        from {{ ref('fct_commune_coverage_operator') }} as c
        left join population as p on p.admin_unit_key = c.admin_unit_key
        group by c.operator_key, c.radio_technology_key
    ),

    residents as (select sum(counted_residents) as counted_residents from population)

select
    cast(operators.operator_key as integer) as operator_key,
    cast(operators.net_code as integer) as net_code,
    cast(operators.operator_name as {{ dbt.type_string() }}) as operator_name,
    cast(technologies.radio_technology_key as integer) as radio_technology_key,
    cast(technologies.radio_code as {{ dbt.type_string() }}) as radio_code,
    cast(technologies.generation as {{ dbt.type_string() }}) as generation,
    cast(technologies.is_3g4g as boolean) as is_3g4g,
    cast({{ date_key(as_of_date()) }} as integer) as as_of_date_key,
    cast(coalesce(stations.live_stations, 0) as bigint) as live_stations,
    cast(coalesce(stations.live_cells, 0) as bigint) as live_cells,
    cast(coalesce(stations.sites_with_live_station, 0) as bigint) as sites_with_live_station,
    cast(coalesce(coverage.communes, 0) as bigint) as communes,
    cast(coalesce(coverage.communes_covered, 0) as bigint) as communes_covered,
    cast(coalesce(coverage.residents_covered, 0) as bigint) as residents_covered,
    cast(coalesce(residents.counted_residents, 0) as bigint) as counted_residents,
    cast(
        case
            when residents.counted_residents > 0
            then 100.0 * coalesce(coverage.residents_covered, 0) / residents.counted_residents
        end as double
    ) as population_coverage_pct
from operators
cross join technologies
cross join residents
left join
    stations
    on stations.operator_key = operators.operator_key
    and stations.radio_technology_key = technologies.radio_technology_key
left join
    coverage
    on coverage.operator_key = operators.operator_key
    and coverage.radio_technology_key = technologies.radio_technology_key
