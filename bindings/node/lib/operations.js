'use strict';
// The plain operations of the library's catalogue (ec_cloud_operations_json) as methods, made when
// the library is loaded: nothing in this package names a plain operation. The rules are those of
// the Python package (tools/gen_surfaces.py, docs/operations.md):
//   - required params are positional, in catalogue order;
//   - optional params go in the last argument, an options object, by their camelCase `arg` name,
//     next to `timeout` (ms), `signal` and, for operations that follow a job, `onProgress`;
//   - a params object with the wire names may replace the positional arguments
//     (`agents.create({ agentName: 'bot' })`);
//   - the params JSON uses the wire names and leaves absent optionals out (the core applies its
//     defaults); operations whose result is `Empty` resolve with undefined.
// Top-level operations (`credits`, `status`…) become methods of the client's base class;
// the others are grouped into one resource class per resource (`cloud.agents`, `cloud.backups`).

const native = require('./native');
const { fromStatus, Status, invalid } = require('./errors');
const { InferenceStream, AudioStream } = require('./streaming');
const { convertFileParams } = require('./files');

const CLIENT = Symbol('elizacloud.client');

/** Base of every resource (`cloud.agents`…): holds the client its methods call. */
class Resource {
    constructor(client) {
        Object.defineProperty(this, CLIENT, { value: client });
    }
}

/** `cloud.agents`. Declared here so that the package can export it before the library loads. */
class Agents extends Resource {}

const knownClasses = { agents: Agents };

function lowerCamel(name) {
    return name.replace(/[_.-]([a-z0-9])/g, (_, c) => c.toUpperCase());
}

function upperCamel(name) {
    const c = lowerCamel(name);
    return c.charAt(0).toUpperCase() + c.slice(1);
}

function isPlainObject(value) {
    return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** A result that should be a record, as one ({} for anything else). */
function asObject(data) {
    return isPlainObject(data) ? data : {};
}

/** The catalogue the loaded library reports. */
function readCatalogue(api) {
    const out = [null];
    const status = api.ec_cloud_operations_json(out);
    if (status !== Status.OK) throw fromStatus(status, api.ec_last_error_message());
    const catalogue = JSON.parse(native.takeString(api, out[0]));
    if (catalogue.version !== 1) {
        throw new Error(`elizacloud: the library's operation catalogue has version ${catalogue.version}; this package reads version 1`);
    }
    return catalogue;
}

// The streaming rows' iterators, by the catalogue's streaming mode (the agent's stream is the
// proxy's).
const STREAMS = {
    'openai-sse': InferenceStream,
    'anthropic-sse': InferenceStream,
    binary: AudioStream,
};

/** Whether a call may carry its own maxRetries (ec_cloud_call_with): one-answer cloud operations. */
function takesCallOptions(op) {
    return op.kind === 'http' && op.streaming === 'none';
}

/** One operation as a method of a resource (or of the client itself). */
function makeMethod(op) {
    const required = op.params.filter((p) => p.required);
    const optional = op.params.filter((p) => !p.required);
    // A params object can stand in for the positional arguments unless the first one is itself
    // an object.
    const paramsForm = required.length > 0 && !['object', 'string-map', 'json', 'file'].includes(required[0].type);
    const method = async function (...args) {
        const client = this[CLIENT] ?? this;
        let params = {};
        let options;
        if (paramsForm && isPlainObject(args[0])) {
            params = { ...args[0] };
            options = args[1] ?? {};
        } else {
            required.forEach((p, i) => {
                if (args[i] !== undefined) params[p.name] = args[i];
            });
            options = args[required.length] ?? {};
            if (!isPlainObject(options)) throw invalid(`${op.name}: the options must be an object`);
            // Each optional parameter by its camelCase argument name (or its wire name); a key
            // that is neither is a mistake the caller must hear about, not a silent default.
            const known = new Set(['signal', 'timeout', ...(op.followsJob ? ['onProgress'] : []),
                ...(takesCallOptions(op) ? ['maxRetries'] : [])]);
            for (const p of optional) {
                known.add(lowerCamel(p.arg));
                known.add(p.name);
                const value = options[lowerCamel(p.arg)] ?? options[p.name];
                if (value !== undefined && value !== null) params[p.name] = value;
            }
            for (const key of Object.keys(options)) {
                if (!known.has(key))
                    throw invalid(`${op.name}: unknown option "${key}" (known: ${[...known].join(', ')})`);
            }
        }
        convertFileParams(op, params);
        const { signal, timeout, onProgress, maxRetries } = options;
        const StreamClass = STREAMS[op.streaming];
        if (StreamClass) return new StreamClass(client, () => client._beginCall(op.name, params), signal);
        const progress = op.followsJob ? onProgress : undefined;
        const result = await client._request(op.name, params, { signal, timeout, onEvent: progress, maxRetries });
        return op.result === 'Empty' ? undefined : result;
    };
    Object.defineProperty(method, 'name', { value: op.action });
    return method;
}

let installed = null;

/**
 * Creates the methods once per process: top-level operations on `clientBase.prototype`, the others
 * on one resource class each. Returns [[property name, resource class], ...] for the client to
 * instantiate.
 */
function install(api, clientBase) {
    if (installed) return installed;
    const catalogue = readCatalogue(api);
    const classes = new Map();
    for (const op of catalogue.operations) {
        if (op.surface !== 'plain') continue;
        let target;
        if (op.resource) {
            let cls = classes.get(op.resource);
            if (!cls) {
                // A named class per resource (AgentsResource...) for readable stack traces.
                cls = knownClasses[op.resource] ?? { [upperCamel(op.resource)]: class extends Resource {} }[upperCamel(op.resource)];
                classes.set(op.resource, cls);
            }
            target = cls.prototype;
        } else {
            target = clientBase.prototype;
        }
        Object.defineProperty(target, op.action, {
            value: makeMethod(op),
            writable: true,
            configurable: true,
        });
    }
    installed = { catalogue, resources: [...classes].map(([name, cls]) => [lowerCamel(name), cls]) };
    return installed;
}

/** A resource that can also be called: `fn(...)` runs `resource[action](...)` (compat). */
function callableResource(resource, action) {
    const fn = (...args) => resource[action](...args);
    Object.setPrototypeOf(fn, resource);
    return fn;
}

/** The catalogue of the loaded library (a copy). */
function catalogue(api) {
    return structuredClone(installed ? installed.catalogue : readCatalogue(api));
}

module.exports = { Resource, Agents, install, callableResource, readCatalogue, catalogue, lowerCamel, asObject };
