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
    {%- for rule in quality_rules() %}
        ,
        case
            when ({{ rule.get('applies_to', 'true') }}) then coalesce(({{ rule['fails_when'] }}), false)
        end as {{ quality_rule_column(rule['id']) }}
    {%- endfor %}
{%- endmacro %}

{#- The rules of the check model being rendered (`config.meta.rules`). -#}
{% macro quality_rules() -%}
    {%- set meta = config.get('meta') -%}
    {#- while dbt parses the project, config values are not resolved yet -#}
    {{- return(meta.get('rules', []) if meta is mapping else []) -}}
{%- endmacro %}

{#- The column of a rule in its check model. -#}
{% macro quality_rule_column(rule_id) -%} {{ rule_id.split('.', 1)[1] }} {%- endmacro %}

{#- A checksum of the rules of a check model as its YAML states them (ids, expressions, everything): an
    incremental check model stores it in `_rules_checksum`, and rows stored under another checksum were judged
    by other rules. -#}
{% macro quality_rules_checksum() -%}
    {{- local_md5(tojson(quality_rules(), sort_keys=true)) -}}
{%- endmacro %}

{#- Whether an incremental check model's table (`this`) may be brought up to date by checking some rows again:
    it has a column for every rule and the given columns, and every stored row was checked under the rules as
    they are now (`_rules_checksum`). Otherwise the model checks every row again, and dbt adds the missing
    columns (`on_schema_change: append_new_columns`). -#}
{% macro check_table_is_current(columns) %}
    {% set stored = adapter.get_columns_in_relation(this) | map(attribute='name') | list %}
    {% set wanted = columns + ['_rules_checksum'] %}
    {% for rule in quality_rules() %}
        {% do wanted.append(quality_rule_column(rule['id']) | trim) %}
    {% endfor %}
    {% if wanted | reject('in', stored) | list | length > 0 %} {{ return(false) }} {% endif %}
    {% set judged_otherwise %}
        select count(*) from {{ this }} where _rules_checksum <> '{{ quality_rules_checksum() }}'
    {% endset %}
    {{ return(run_query(judged_otherwise).columns[0].values()[0] == 0) }}
{% endmacro %}
