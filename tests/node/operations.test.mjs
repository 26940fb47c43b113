// The operation methods made at load time from the library's catalogue (lib/operations.js): one
// per plain operation, the calling rules (positional required params, an options object, a
// params object with wire names), and the compatibility forms of cloud.backups.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { Emulator, FAST_ARGS, cloudOptions, loadPackage } from './support.mjs';

const ec = loadPackage();
let emu;

before(async () => {
    emu = await Emulator.start(FAST_ARGS);
});
after(async () => {
    await emu?.stop();
});

const camel = (name) => name.replace(/[_.-]([a-z0-9])/g, (_, c) => c.toUpperCase());

test('every plain operation of the catalogue is a method; custom ones are not generated', async () => {
    const catalogue = ec.catalogue();
    assert.equal(catalogue.version, 1);
    const cloud = new ec.Cloud(cloudOptions(emu));
    try {
        for (const op of catalogue.operations) {
            const holder = op.resource ? cloud[camel(op.resource)] : cloud;
            if (op.surface === 'plain') {
                assert.equal(typeof holder?.[op.action], 'function', op.name);
                assert.equal(holder[op.action].name, op.action);
            }
        }
        assert.ok(cloud.agents instanceof ec.Agents);
        assert.equal(typeof cloud.backups, 'function'); // the method of earlier releases
        assert.equal(typeof cloud.backups.list, 'function');
    } finally {
        await cloud.close();
    }
});

test('generated methods end to end: positional, options and params-object forms', async () => {
    const cloud = new ec.Cloud(cloudOptions(emu));
    try {
        await cloud.login();
        const identity = await cloud.identity();
        assert.ok(identity.userId);
        const credits = await cloud.credits({ fresh: true, timeout: 10_000 });
        assert.equal(credits.balance, 25);

        const created = await cloud.agents.create('ops-bot', { environment: { A: 'b' } });
        const byParams = await cloud.agents.get({ agentId: created.id });
        assert.equal(byParams.agentName, 'ops-bot');
        const progress = [];
        const running = await cloud.agents.provision(created.id, { onProgress: (ev) => progress.push(ev) });
        assert.equal(running.status, 'running');
        assert.ok(progress.length > 0, 'provisioning progress reached onProgress');

        const snap = await cloud.backups.snapshot({ agentId: created.id });
        const listed = await cloud.backups.list({ agentId: created.id });
        assert.deepEqual(listed.map((b) => b.id), [snap.backupId]);
        assert.deepEqual((await cloud.backups({ agentId: created.id })).map((b) => b.id), [snap.backupId]);
        const restored = await cloud.backups.restore({ agentId: created.id, backupId: snap.backupId });
        assert.equal(restored.restoredFromBackupId, snap.backupId);

        await assert.rejects(cloud.agents.get('not-a-uuid'), ec.InvalidArgumentError);
        // A misspelt option is refused before any request (it used to be ignored).
        await assert.rejects(cloud.credits({ freshh: true }), /unknown option "freshh"/);
        await assert.rejects(cloud.agents.get(created.id, 'not an object'), ec.InvalidArgumentError);
        assert.equal(await cloud.agents.delete(created.id), undefined);
        await cloud.logout();
    } finally {
        await cloud.close();
    }
});

test('user.update: a registry row becomes a method with no Node code', async () => {
    const cloud = new ec.Cloud(cloudOptions(emu));
    try {
        await cloud.login();
        const user = await cloud.user.update({ nickname: 'neo', emailNotifications: false });
        assert.equal(user.nickname, 'neo');
        assert.equal(user.email_notifications, false);
        assert.equal((await cloud.identity()).nickname, 'neo');
        await assert.rejects(cloud.user.update({ workFunction: 'ceo' }), ec.InvalidArgumentError);
        // A misspelt option is an error, not a silently ignored default.
        await assert.rejects(cloud.user.update({ nickName: 'x' }), /unknown option "nickName"/);
        await cloud.logout();
    } finally {
        await cloud.close();
    }
});

test('one error class per status of the library, generated from EC_STATUS_MAP', () => {
    const statuses = ec.catalogue().statuses;
    assert.equal(statuses.length, Object.keys(ec.Status).length);
    for (const { name, code } of statuses) {
        assert.equal(ec.statusName(code), name);
        if (code === 0) continue;
        const cls = ec.errorClass(code);
        assert.notEqual(cls, ec.ElizaCloudError, name);
        assert.equal(cls.status, code);
        assert.ok(new cls('x') instanceof ec.ElizaCloudError);
    }
});
