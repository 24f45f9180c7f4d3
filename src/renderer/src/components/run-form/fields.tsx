// One editor per kind of input field. Every control has a label; values are shown as text (never as HTML).
import { useRef, useState, type ChangeEvent } from "react";
import type { JsonValue } from "../../../../shared/encoding";
import { MESSAGE_ROLES, newItem, readJson, readNumber, singleMessage, messagesValue, type MessageRole, type PrimitiveKind, type Read } from "../../lib/schema-form";
import { useDraft, type Draft, type Report } from "./use-draft";

export interface EditorProps {
  id: string;
  /** The ids of the hint and error texts that describe the control. */
  describedBy?: string;
  label: string;
  value: JsonValue | undefined;
  onChange: (next: JsonValue | undefined) => void;
  report: Report;
}

function ErrorText({ id, error }: { id: string; error: string | null }) {
  return error ? (
    <div className="field-error small" id={id}>
      {error}
    </div>
  ) : null;
}

/** The props of a control that holds a draft: its text, and its error as the control's description. */
function draftControl(id: string, describedBy: string | undefined, draft: Draft) {
  const invalid = draft.error !== null;
  return {
    id,
    "data-testid": id,
    "aria-invalid": invalid,
    "aria-describedby": [describedBy, invalid && `${id}-error`].filter(Boolean).join(" ") || undefined,
    value: draft.text,
    onChange: (e: ChangeEvent<HTMLInputElement | HTMLTextAreaElement>) => draft.change(e.target.value),
  };
}

export function TextEditor({ id, describedBy, value, onChange, long }: EditorProps & { long: boolean }) {
  const text = typeof value === "string" ? value : "";
  // An emptied field is left out of the input: LangGraph then keeps the state's value.
  const set = (next: string) => onChange(next === "" ? undefined : next);
  return long ? (
    <textarea id={id} data-testid={id} aria-describedby={describedBy} value={text} rows={2} onChange={(e) => set(e.target.value)} />
  ) : (
    <input id={id} data-testid={id} aria-describedby={describedBy} type="text" value={text} onChange={(e) => set(e.target.value)} />
  );
}

export function NumberEditor({ id, describedBy, value, onChange, report, integer, required }: EditorProps & { integer: boolean; required: boolean }) {
  const read = (text: string): Read<number | undefined> => {
    const number = readNumber(text, integer);
    // A list item (or a required key) cannot be left out: empty is a mistake, not "no value".
    return number.ok && number.value === undefined && required ? { ok: false, error: `a ${integer ? "whole " : ""}number is needed` } : number;
  };
  const draft = useDraft(typeof value === "number" ? value : undefined, (v) => (v === undefined ? "" : String(v)), read, onChange, report);
  return (
    <>
      <input
        {...draftControl(id, describedBy, draft)}
        type="text"
        inputMode={integer ? "numeric" : "decimal"}
      />
      <ErrorText id={`${id}-error`} error={draft.error} />
    </>
  );
}

export function EnumEditor({ id, describedBy, value, onChange, options, required }: EditorProps & { options: JsonValue[]; required: boolean }) {
  const at = options.findIndex((o) => JSON.stringify(o) === JSON.stringify(value));
  return (
    <select id={id} data-testid={id} aria-describedby={describedBy} value={at} onChange={(e) => onChange(Number(e.target.value) < 0 ? undefined : options[Number(e.target.value)])}>
      {(!required || at < 0) && <option value={-1}>(not set)</option>}
      {options.map((o, i) => (
        <option key={i} value={i}>
          {typeof o === "string" ? o : JSON.stringify(o)}
        </option>
      ))}
    </select>
  );
}

export function BooleanEditor({ id, describedBy, value, onChange }: EditorProps) {
  return <input id={id} data-testid={id} aria-describedby={describedBy} type="checkbox" checked={value === true} onChange={(e) => onChange(e.target.checked)} />;
}

/** A plain value of one kind: what a field or a list item shows. */
export function PrimitiveEditor(props: EditorProps & { kind: PrimitiveKind; options?: JsonValue[]; required: boolean }) {
  switch (props.kind) {
    case "text":
    case "longText":
      return <TextEditor {...props} long={props.kind === "longText"} />;
    case "number":
    case "integer":
      return <NumberEditor {...props} integer={props.kind === "integer"} />;
    case "boolean":
      return <BooleanEditor {...props} />;
    case "enum":
      return <EnumEditor {...props} options={props.options ?? []} />;
  }
}

/** A list of plain values: one row per item, each with its own label and a Remove button. */
export function ListEditor({ id, label, value, onChange, report, item }: EditorProps & { item: { kind: PrimitiveKind; options?: JsonValue[] } }) {
  const items = Array.isArray(value) ? value : [];
  const set = (next: JsonValue[]) => onChange(next);
  // Each item's half-typed text, so that one item's fix does not hide another's mistake.
  const itemErrors = useRef(new Map<number, string>());
  const reportItem = (index: number, error: string | null) => {
    if (error === null) itemErrors.current.delete(index);
    else itemErrors.current.set(index, `item ${index + 1}: ${error}`);
    report([...itemErrors.current.values()].join("; ") || null);
  };
  return (
    <div className="form-list" data-testid={id}>
      {items.map((v, i) => (
        <div className="form-list-item" key={i}>
          <label className="sr-only" htmlFor={`${id}-${i}`}>
            {`${label} item ${i + 1}`}
          </label>
          <PrimitiveEditor
            id={`${id}-${i}`}
            label={`${label} item ${i + 1}`}
            kind={item.kind}
            options={item.options}
            required
            value={v}
            onChange={(next) => set(items.map((old, j) => (j === i ? (next ?? newItem(item)) : old)))}
            report={(error) => reportItem(i, error)}
          />
          <button type="button" className="small" aria-label={`Remove ${label} item ${i + 1}`} onClick={() => set(items.filter((_, j) => j !== i))}>
            Remove
          </button>
        </div>
      ))}
      <button type="button" className="small" data-testid={`${id}-add`} onClick={() => set([...items, newItem(item)])}>
        Add {label} item
      </button>
    </div>
  );
}

/** A messages channel as a chat box: the role of one message and its text. */
export function MessagesEditor({ id, describedBy, label, value, onChange }: EditorProps) {
  const message = singleMessage(value) ?? { role: "user" as MessageRole, content: "" };
  // The role chosen before any text is typed has no value to live in yet.
  const [chosen, setChosen] = useState<MessageRole>(message.role);
  const role = message.content === "" ? chosen : message.role;
  return (
    <div className="form-message">
      <label className="sr-only" htmlFor={`${id}-role`}>
        {`${label}: role`}
      </label>
      <select
        id={`${id}-role`}
        data-testid={`${id}-role`}
        value={role}
        onChange={(e) => {
          const next = e.target.value as MessageRole;
          setChosen(next);
          if (message.content !== "") onChange(messagesValue(next, message.content));
        }}
      >
        {MESSAGE_ROLES.map((r) => (
          <option key={r} value={r}>
            {r}
          </option>
        ))}
      </select>
      <label className="sr-only" htmlFor={id}>
        {`${label}: message text`}
      </label>
      <textarea
        id={id}
        data-testid={id}
        aria-describedby={describedBy}
        rows={3}
        placeholder="Message"
        value={message.content}
        onChange={(e) => onChange(messagesValue(role, e.target.value))}
      />
    </div>
  );
}

/** Any value as JSON, for what the form cannot show field by field. */
export function JsonEditor({ id, describedBy, value, onChange, report }: EditorProps) {
  const draft = useDraft(value, (v) => (v === undefined ? "" : JSON.stringify(v, null, 2)), readJson, onChange, report);
  return (
    <>
      <textarea
        {...draftControl(id, describedBy, draft)}
        className="code-input"
        spellCheck={false}
        rows={Math.min(6, Math.max(1, draft.text.split("\n").length))}
        placeholder="JSON"
      />
      <ErrorText id={`${id}-error`} error={draft.error} />
    </>
  );
}
