{#- The province's extent, for telling a position inside it from one outside: the union of its communes'
    bounding boxes (`communes`: a relation with lat_min, lat_max, lon_min, lon_max), with a margin of 0.02°
    (about 2 km). One row: lat_min, lat_max, lon_min, lon_max. -#}
{% macro province_extent(communes) -%}
    select
        min(lat_min) - 0.02 as lat_min,
        max(lat_max) + 0.02 as lat_max,
        min(lon_min) - 0.02 as lon_min,
        max(lon_max) + 0.02 as lon_max
    from {{ communes }}
{%- endmacro %}
