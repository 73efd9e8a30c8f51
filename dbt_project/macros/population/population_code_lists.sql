{#- Code lists of the population feed (docs/contracts/population.md), as SQL list literals for `in (...)`. -#}


{#- Ethnic group codes 01-54 (QĐ 121-TCTK/PPCĐ). -#}
{% macro population_ethnic_codes() -%}
    ({%- for i in range(1, 55) %}'{{ '%02d' % i }}'{{ ', ' if not loop.last }}{% endfor -%})
{%- endmacro %}
