//! What each doc smell the core reports means for a model that reads the document, and what
//! to do about it: the text of the "Explain" code action. Keyed by the core's `SmellKind`
//! (src/doc/inspect.rs); a kind this table does not know gets a general explanation.

const EXPLANATIONS = {
  missingToolDescription:
    'The tool (the API, server or tool group) has no description. A model choosing between tools reads this first; without it, it guesses from names. Say what the tool is for and when to use it.',
  missingOperationDescription:
    'This operation has no description. A model picks operations by their descriptions and cannot tell what this one does, when to call it or what it returns. Describe its effect, its inputs and its result; Refine can write one from real calls.',
  shortDescription:
    'The description is very short (under 20 characters). It rarely says what the operation returns, which inputs matter or how it fails. Refine can expand it from what the tool actually does.',
  duplicateOperationName:
    'Two operations of this tool have the same name, so a model (and a caller resolving names) cannot tell them apart. Give each a distinct operationId / name.',
  missingParameterDescription:
    'This parameter has no description. A model fills it from its name alone and often guesses the format or meaning wrong. Say what it is, its format and an example value.',
  untypedParameter:
    'This parameter has no type (no type, $ref, enum, const or combinator). A model cannot know whether to send a number, a string or an object, and nothing can check its arguments. Add a JSON Schema type.',
  pathParameterNotRequired:
    'A path parameter is always required (the URL cannot be built without it), but the document does not mark it required. Models may leave it out. Mark it `required: true`.',
  undocumentedPathParameter:
    'The path template names a `{parameter}` that the document does not describe. A model does not know it must supply it. Add it to the parameters with `in: path` and `required: true`.',
  duplicateParameterName:
    'Two parameters of this operation share a name and location; a caller cannot tell which value goes where. Remove or rename one.',
  missingResponseSchema:
    'The operation documents no response schema, so a model cannot know what the result looks like or plan the next call from it. Refine can add the schema observed in real responses.',
};

/** The explanation of a smell kind, in plain text. */
export function explainSmell(kind) {
  return (
    EXPLANATIONS[kind] ??
    'tooldraft found something in this place that makes the tool harder for a model to use correctly. Refine the operation to improve its documentation from real calls.'
  );
}

/** Every kind with its own explanation (for tests and the README). */
export const EXPLAINED_KINDS = Object.freeze(Object.keys(EXPLANATIONS));
