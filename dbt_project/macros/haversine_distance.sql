{#- Great-circle distance in metres between two WGS84 points (haversine, mean Earth radius R = 6,371,008.8 m,
    as docs/contracts/bts.md prescribes). Plain SQL functions only (radians, sin, cos, asin, sqrt, power, least),
    so it compiles on any engine without a spatial extension. `least(1, ...)` guards asin against rounding. -#}
{% macro telecom_haversine_m(lat1, lon1, lat2, lon2) -%}
    (
        2
        * 6371008.8
        * asin(
            least(
                1.0,
                sqrt(
                    power(sin(radians(({{ lat2 }}) - ({{ lat1 }})) / 2), 2)
                    + cos(radians({{ lat1 }}))
                    * cos(radians({{ lat2 }}))
                    * power(sin(radians(({{ lon2 }}) - ({{ lon1 }})) / 2), 2)
                )
            )
        )
    )
{%- endmacro %}

{#- A cheap pre-filter for a distance join: the two points lie within `metres` of each other in latitude and
    in longitude (a box a little larger than the circle, valid below 60 degrees of latitude where one degree of
    longitude is at least 55 km). Combine it with telecom_haversine_m for the exact test. -#}
{% macro telecom_within_box(lat1, lon1, lat2, lon2, metres) -%}
    (
        {{ lat2 }} between ({{ lat1 }}) - {{ metres / 110000.0 }} and ({{ lat1 }}) + {{ metres / 110000.0 }}
        and {{ lon2 }} between ({{ lon1 }}) - {{ metres / 55000.0 }} and ({{ lon1 }}) + {{ metres / 55000.0 }}
    )
{%- endmacro %}

{#- True when two points are at most `metres` apart (box pre-filter, then haversine). -#}
{% macro telecom_is_within_m(lat1, lon1, lat2, lon2, metres) -%}
    (
        {{ telecom_within_box(lat1, lon1, lat2, lon2, metres) }}
        and {{ telecom_haversine_m(lat1, lon1, lat2, lon2) }} <= {{ metres }}
    )
{%- endmacro %}
