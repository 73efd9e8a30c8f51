{#- Each legacy commune of bridge_admin_unit_successor has exactly one default successor. NULL never makes a row
    pass: a null is_default_successor is not a default, and a null legacy key is a commune of its own. -#}
{% test one_default_successor_per_commune(model) %}
    select legacy_admin_unit_key, count(*) as default_rows
    from {{ model }}
    group by legacy_admin_unit_key
    having sum(case when is_default_successor then 1 else 0 end) <> 1
{% endtest %}
