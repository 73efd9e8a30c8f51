{#- The type-2 lookup of dim_admin_unit: the version of a unit valid on a date (valid_to is exclusive).
    `unit` is the alias of dim_admin_unit in the query (empty when the columns are unqualified). -#}
{% macro admin_unit_valid_on(unit, on_date) -%}
    {%- set prefix = unit ~ '.' if unit else '' -%}
    {{ on_date }} >= {{ prefix }}valid_from and {{ on_date }} < {{ prefix }}valid_to
{%- endmacro %}
