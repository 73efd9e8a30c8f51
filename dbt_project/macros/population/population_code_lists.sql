{#- Code lists of the population feed (docs/contracts/population.md), as SQL list literals for `in (...)`. -#}

{#- The 63 legacy province codes written with 3 digits: the valid first three digits of a citizen ID. -#}
{% macro population_province_prefixes() -%}
    {%- set codes = [
        '001', '002', '004', '006', '008', '010', '011', '012', '014', '015', '017', '019', '020', '022', '024',
        '025', '026', '027', '030', '031', '033', '034', '035', '036', '037', '038', '040', '042', '044', '045',
        '046', '048', '049', '051', '052', '054', '056', '058', '060', '062', '064', '066', '067', '068', '070',
        '072', '074', '075', '077', '079', '080', '082', '083', '084', '086', '087', '089', '091', '092', '093',
        '094', '095', '096'
    ] -%}
    ({%- for code in codes %}'{{ code }}'{{ ', ' if not loop.last }}{% endfor -%})
{%- endmacro %}

{#- Ethnic group codes 01-54 (QĐ 121-TCTK/PPCĐ). -#}
{% macro population_ethnic_codes() -%}
    ({%- for i in range(1, 55) %}'{{ '%02d' % i }}'{{ ', ' if not loop.last }}{% endfor -%})
{%- endmacro %}
