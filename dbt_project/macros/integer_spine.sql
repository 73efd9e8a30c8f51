{#- 0 .. 10^digits - 1 as column `n`, from a cross join of digits: portable (no recursion, no generate_series). -#}
{% macro integer_spine(digits) -%}
    {%- for i in range(digits) %}
        {%- if loop.first %}
            select
                {% for j in range(digits) %}
                    d{{ j }}.n * {{ 10 ** j }}{{ ' + ' if not loop.last }}
                {% endfor %} as n
            from
        {% endif %}
            (
                select 0 as n
                union all
                select 1
                union all
                select 2
                union all
                select 3
                union all
                select 4
                union all
                select 5
                union all
                select 6
                union all
                select 7
                union all
                select 8
                union all
                select 9
            ) as d{{ i }}
            {{- ' cross join' if not loop.last }}
    {%- endfor %}
{%- endmacro %}
