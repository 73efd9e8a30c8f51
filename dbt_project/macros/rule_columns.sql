{#- The quality rules of a check model (docs/quality.md): the rules are listed once, in the model's YAML
    (`config.meta.rules`: id, criterion, severity, descriptions, `applies_to`, `fails_when`, `sample`), and this
    macro writes one column per rule, named after the rule id without its feed (`population.duplicate_record` →
    `duplicate_record`):
      null   the rule does not apply to the record (`applies_to` is false or null),
      false  it applies and the record passes,
      true   it applies and the record fails (`fails_when` is true).
    Great Expectations evaluates the same two expressions as SQL (kho06/quality/suites.py), and the marts that
    clean by a rule read its column: one definition per rule. -#}
{% macro quality_rule_columns() -%}
    {%- set meta = config.get('meta') -%}
    {#- while dbt parses the project, config values are not resolved yet -#}
    {%- for rule in (meta.get('rules', []) if meta is mapping else []) %}
        ,
        case
            when ({{ rule.get('applies_to', 'true') }}) then coalesce(({{ rule['fails_when'] }}), false)
        end as {{ quality_rule_column(rule['id']) }}
    {%- endfor %}
{%- endmacro %}

{#- The column of a rule in its check model. -#}
{% macro quality_rule_column(rule_id) -%} {{ rule_id.split('.', 1)[1] }} {%- endmacro %}
