// The run input as a form: one labelled field per top-level key of the graph's input schema. A key whose value
// the field cannot show (several messages, an object where a string was expected) is edited as JSON instead.
import type { JsonObject, JsonValue } from "../../../../shared/encoding";
import { fieldFits, withField, type FormField } from "../../lib/schema-form";
import { JsonEditor, ListEditor, MessagesEditor, PrimitiveEditor, type EditorProps } from "./fields";

interface Props {
  fields: FormField[];
  value: JsonObject;
  onChange: (next: JsonObject) => void;
  /** A field's text that is not a value yet (null when it is fixed or gone): blocks Run while there. */
  onProblem: (key: string, error: string | null) => void;
}

const KIND_NAMES: Record<FormField["kind"], string> = {
  text: "text",
  longText: "text",
  number: "number",
  integer: "whole number",
  boolean: "yes/no",
  enum: "choice",
  list: "list",
  messages: "message",
  json: "JSON",
};

/** An element id for a key (keys may hold any character); the index keeps two similar keys apart. */
function idOf(field: FormField, index: number): string {
  const safe = field.key.replace(/[^\w-]/g, "_");
  return `run-field-${safe === field.key ? safe : `${safe}-${index}`}`;
}

export function SchemaForm({ fields, value, onChange, onProblem }: Props) {
  return (
    <div className="schema-form" data-testid="run-form">
      {fields.map((field, index) => (
        <Field
          key={field.key}
          field={field}
          id={idOf(field, index)}
          value={value[field.key]}
          onChange={(next) => onChange(withField(value, field.key, next))}
          report={(error) => onProblem(field.key, error && `${field.label}: ${error}`)}
        />
      ))}
    </div>
  );
}

function Field({ field, id, value, onChange, report }: { field: FormField; id: string; value: JsonValue | undefined } & Pick<EditorProps, "onChange" | "report">) {
  const fits = fieldFits(field, value);
  const asJson = field.kind === "json" || !fits;
  const hintId = field.description || !fits ? `${id}-hint` : undefined;
  const props: EditorProps = { id, describedBy: hintId, label: field.label, value, onChange, report };
  const hint = hintId && (
    <div className="muted small" id={hintId}>
      {field.description}
      {!fits && ` (edited as JSON: the value is not one ${KIND_NAMES[field.kind]})`}
    </div>
  );
  const name = (
    <>
      {field.label}
      {field.required && <span aria-hidden="true"> *</span>}
      <span className="muted small"> {KIND_NAMES[asJson ? "json" : field.kind]}</span>
    </>
  );

  if (!asJson && (field.kind === "list" || field.kind === "messages")) {
    return (
      <fieldset className="form-field" data-field={field.key} data-kind={field.kind} aria-describedby={hintId}>
        <legend>{name}</legend>
        {hint}
        {field.kind === "list" ? <ListEditor {...props} item={field.item} /> : <MessagesEditor {...props} />}
      </fieldset>
    );
  }
  if (!asJson && field.kind === "boolean") {
    return (
      <div className="form-field form-check" data-field={field.key} data-kind={field.kind}>
        <PrimitiveEditor {...props} kind="boolean" required={field.required} />
        <label htmlFor={id}>{name}</label>
        {hint}
      </div>
    );
  }
  return (
    <div className="form-field" data-field={field.key} data-kind={asJson ? "json" : field.kind}>
      <label htmlFor={id}>{name}</label>
      {hint}
      {asJson || field.kind === "list" || field.kind === "messages" ? (
        <JsonEditor {...props} />
      ) : (
        <PrimitiveEditor {...props} kind={field.kind} options={field.options} required={field.required} />
      )}
    </div>
  );
}
