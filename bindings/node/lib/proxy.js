'use strict';
// Proxy (also exported as AgentProxy): chat with the connected agent. cloud.connect() and
// cloud.proxy return one; its requests are the cloud's. new Proxy(cloud, agentId, {direct: true})
// talks to a running agent without connecting (send and stream with its agentId: no heartbeat,
// reconnects or backups), as Python's Proxy(cloud, agent_id, direct=True).

const { asObject } = require('./operations');
const { Stream } = require('./streaming');

const DEFAULT_ROOM = 'web-chat';
const DEFAULT_CHANNEL = 'DM';

/** Chat with the connected agent (returned by Cloud.connect). */
class Proxy {
    #cloud;
    #target; // the agentId sent with each message when direct; undefined = the connected agent

    constructor(cloud, agentId, options = {}) {
        this.#cloud = cloud;
        this.agentId = agentId;
        this.#target = options.direct ? agentId : undefined;
    }

    /** Sends a message; resolves with the agent's reply text. */
    async send(text, options = {}) {
        const { roomId = DEFAULT_ROOM, channelType = DEFAULT_CHANNEL } = options;
        const params = { text, roomId, channelType, agentId: this.#target };
        const data = await this.#cloud._request('send', params, options);
        if (data && typeof data === 'object') return String(data.text ?? '');
        return data === null || data === undefined ? '' : String(data);
    }

    /** Streams a reply: `for await (const chunk of proxy.stream(text))`. */
    stream(text, options = {}) {
        const { roomId = DEFAULT_ROOM, channelType = DEFAULT_CHANNEL, signal } = options;
        return new Stream(this.#cloud, text, roomId, channelType, signal, this.#target);
    }

    /** {state, agentName} of the connected agent. */
    async status(options = {}) {
        return asObject(await this.#cloud._request('agent.status', {}, options));
    }

    /** Heartbeat: true if the agent answered. */
    async isAlive(options = {}) {
        const data = await this.#cloud._request('agent.alive', {}, options);
        return !!(data && typeof data === 'object' && data.alive);
    }

    toString() {
        return `[Proxy agent=${this.agentId}]`;
    }
}

module.exports = { Proxy };
