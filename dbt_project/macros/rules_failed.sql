{#- The ids of the rules a record of a check model fails, comma-separated (null when it fails none), for a mart
    that carries its rows' quality: `quality_rules_failed('chk_population__residents', 'r')` where `r` is the
    alias of the check model in the query. The rule ids lead to dq.check_results and dq.failed_records. -#}
{% macro quality_rules_failed(check_model, alias) -%}
    {#- the check model's rules, from the project graph (empty while parsing, and in a unit test) -#}
    {%- set node = (graph.get('nodes', {}) if execute else {}).get('model.' ~ project_name ~ '.' ~ check_model) -%}
    {%- if node -%}
        {%- set rules = node.config.meta.get('rules', []) -%}
        nullif(
            concat_ws(
                ','
                {%- for rule in rules %}
                    , case when {{ alias }}.{{ quality_rule_column(rule['id']) }} then '{{ rule.id }}' end
                {%- endfor %}
            ),
            ''
        )
    {%- else -%} cast(null as {{ dbt.type_string() }})
    {%- endif -%}
{%- endmacro %}
