// Compile-only check of bindings/node/index.d.ts: uses the whole public API the way a TypeScript
// host would (tsc --noEmit -p tests/node; never executed).
import {
    AgentError,
    AuthError,
    Cloud,
    CloudEvent,
    ConnectionState,
    ElizaCloudError,
    EventType,
    FileInput,
    InsufficientCreditsError,
    LogLevel,
    Proxy,
    RateLimitedError,
    State,
    Status,
    Stream,
    TimeoutError,
    errorClass,
    libraryPath,
    setLogLevel,
    statusName,
    version,
} from '../../bindings/node/index.js';

async function main(): Promise<void> {
    const v: string = version();
    const lib: string = libraryPath();
    setLogLevel('warn');
    setLogLevel(LogLevel.DEBUG);
    const cloud = new Cloud({
        baseUrl: 'http://127.0.0.1:8080',
        insecureLocal: true,
        configPath: '/tmp/milady.json',
        allowedHosts: ['cloud.example.com'],
        timings: { heartbeatIntervalMs: 1000, reconnectMaxAttempts: 3 },
        forwardLogs: true,
        exportEnv: true,
    });
    cloud.on('state', (ev: CloudEvent) => {
        const s: ConnectionState | null = ev.state;
        const prev: ConnectionState | null = ev.previousState;
        const delay: number | null = ev.nextDelayMs;
        console.log(s, prev, ev.attempt, delay, ev.agentId, ev.describe());
    });
    cloud.on('login-url', (ev) => console.log(ev.text));
    cloud.once('credentials', (ev) => console.log(ev.text));
    cloud.on('backup', (ev) => console.log(ev.data));
    cloud.on('log', (ev) => console.log(ev.logLevel, ev.text));
    cloud.on('close', () => console.log('closed'));
    cloud.unref().ref();

    const controller = new AbortController();
    const login = await cloud.login({
        onBrowserUrl: (url: string) => console.log(url),
        onProgress: (status) => console.log(status),
        signal: controller.signal,
        timeout: 60_000,
    });
    const prefix: string = login.keyPrefix;
    const key: string | null = cloud.apiKey;
    const path: string = cloud.configPath;
    const status = await cloud.status();
    const hasKey: boolean = status.hasApiKey;
    const credits = await cloud.credits({ fresh: true });
    const balance: number | null = credits.balance;
    const who = await cloud.identity();
    const org: string = who.organizationId;

    const agents = await cloud.agents.list();
    const created = await cloud.agents.create('bot', { config: { bio: 'x' }, environment: { A: 'b' } });
    await cloud.agents.create({ agentName: 'bot2' });
    const got = await cloud.agents.get(created.id);
    await cloud.agents.provision(got.id, { onProgress: (ev) => console.log(ev.text) });
    await cloud.agents.suspend(got.id);
    await cloud.agents.resume(got.id);

    const proxy: Proxy = await cloud.connect(created.id, { onProgress: (ev) => console.log(ev.data) });
    const state: ConnectionState = cloud.state;
    const active: string | null = cloud.activeAgent;
    const reply: string = await proxy.send('hello', { roomId: 'r', channelType: 'GROUP', timeout: 5000 });
    const stream: Stream = proxy.stream('hi', { signal: controller.signal });
    for await (const chunk of stream) {
        const c: string = chunk;
        console.log(c);
    }
    const whole: string = await proxy.stream('again').collect();
    const alive: boolean = await proxy.isAlive();
    const agentStatus = await proxy.status();

    const snap = await cloud.snapshot();
    const backups = await cloud.backups({ agentId: created.id });
    await cloud.restore(snap.backupId);
    await cloud.restore();
    const raw: unknown = await cloud.call('agents.list', {});
    const sample: FileInput = { data: new Uint8Array([73, 68, 51]), filename: 'a.mp3' };
    const heard: string = (await cloud.voices.transcribe('memo.mp3', { languageCode: 'en', maxRetries: 0 })).transcript;
    const uploaded = await cloud.knowledge.upload(['a.txt', { path: 'b.md', contentType: 'text/markdown' }]);
    const cloned = await cloud.voices.clone('v', 'instant', [sample]);
    const multipart = await cloud.request('POST', '/api/v1/voice/stt', { files: { audio: sample }, form: { languageCode: 'en' } });
    console.log(heard, uploaded.successCount, cloned.voice, multipart.status);

    for await (const ev of cloud.events({ types: ['state', EventType.BACKUP_DONE] })) {
        if (ev.state === State.CONNECTED) break;
    }

    try {
        await cloud.disconnect();
        await cloud.logout();
    } catch (err) {
        if (err instanceof RateLimitedError) console.log(err.retryAfter);
        if (err instanceof InsufficientCreditsError) console.log(err.requiredBalance, err.currentBalance);
        if (err instanceof ElizaCloudError) {
            const n: number = err.status;
            const name: string = err.statusName;
            const http: number | null = err.httpStatus;
            console.log(n, name, http, err.toJSON());
        }
        if (err instanceof AuthError || err instanceof TimeoutError || err instanceof AgentError) throw err;
    }
    const cls = errorClass(Status.UNAUTHORIZED);
    const e = new cls('x', { status: Status.UNAUTHORIZED });
    console.log(statusName(e.status), Status.OK, EventType.STATE_CHANGED);
    console.log(v, lib, prefix, key, path, hasKey, balance, org, agents, got, state, active, reply);
    console.log(whole, alive, agentStatus, backups, raw, cloud.closed, cloud.proxy);
    await cloud.close();
    await cloud[Symbol.asyncDispose]();
}

void main;
