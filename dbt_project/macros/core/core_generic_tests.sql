{#- Generic tests of the core dimensions. -#}

{#- Each legacy commune of the bridge has exactly one default successor. -#}
{% test core_one_default_successor_per_commune(model) %}
    select legacy_admin_unit_key, count(*) as default_rows
    from {{ model }}
    group by legacy_admin_unit_key
    having sum(case when is_default_successor then 1 else 0 end) <> 1
{% endtest %}
