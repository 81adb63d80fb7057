#!/usr/bin/env python3
"""Records the Flink REST exchanges the engine operations use, from a real cluster, into this directory.

Start a local stack whose qa-normalize job has run a while (./local/run.sh --demo), then:
    python3 record.py http://localhost:8081 ../../../../../jobs/dist/target/qa-jobs-0.1.0-SNAPSHOT.jar 127.0.0.1:9092
Each exchange is written as <name>.json = {"method", "path", "status", "body"}; FlinkContractServer serves them.
The recorder submits a second qa-normalize (own consumer group) from the jar and stops it with a savepoint.
"""
import json, sys, time, uuid, urllib.request, urllib.error

BASE, JAR, KAFKA = sys.argv[1].rstrip('/'), sys.argv[2], sys.argv[3]
OUT = __file__.rsplit('/', 1)[0] if '/' in __file__ else '.'


def call(method, path, body=None, headers=None):
    data = None
    headers = dict(headers or {})
    if body is not None and not isinstance(body, bytes):
        data = json.dumps(body).encode()
        headers['Content-Type'] = 'application/json'
    elif body is not None:
        data = body
    req = urllib.request.Request(BASE + path, data=data, method=method, headers=headers)
    try:
        with urllib.request.urlopen(req, timeout=60) as r:
            return r.status, json.loads(r.read() or b'null')
    except urllib.error.HTTPError as e:
        raw = e.read()
        try:
            return e.code, json.loads(raw)
        except ValueError:
            return e.code, raw.decode()


def record(name, method, path, body=None, headers=None, shorten=True):
    status, answer = call(method, path, body, headers)
    if shorten and isinstance(answer, dict):
        # stack traces are long and say nothing a test needs beyond their first lines and causes
        def cut(s):
            keep = [l for l in s.split('\n') if not l.startswith('\tat ') and not l.startswith('\t... ')]
            return '\n'.join(keep)
        if 'errors' in answer:
            answer['errors'] = [cut(e) for e in answer['errors']]
        fc = (answer.get('operation') or {}).get('failure-cause')
        if fc:
            fc['stack-trace'] = cut(fc['stack-trace'])
            fc.pop('serialized-throwable', None)
    with open(f'{OUT}/{name}.json', 'w') as f:
        json.dump({'method': method, 'path': path, 'status': status, 'body': answer}, f, indent=1)
        f.write('\n')
    print(name, status)
    return status, answer


def metric_ids(path):
    return [m['id'] for m in call('GET', path)[1]]


record('overview', 'GET', '/overview')
_, jobs = record('jobs-overview-one-running', 'GET', '/jobs/overview')
running = [j['jid'] for j in jobs['jobs'] if j['state'] == 'RUNNING'][0]
while not call('GET', f'/jobs/{running}/metrics?get=numRestarts')[1]:
    time.sleep(1)
record('job-running', 'GET', f'/jobs/{running}')
record('job-running-checkpoints', 'GET', f'/jobs/{running}/checkpoints')
record('job-running-restarts', 'GET', f'/jobs/{running}/metrics?get=numRestarts')
for v in call('GET', f'/jobs/{running}')[1]['vertices']:
    path = f"/jobs/{running}/vertices/{v['id']}/subtasks/metrics"
    record(f"vertex-{v['id']}-metric-list", 'GET', path)
    values = []
    ids = metric_ids(path)
    for i in range(0, len(ids), 25):
        values += call('GET', path + '?get=' + ','.join(ids[i:i + 25]))[1]
    with open(f"{OUT}/vertex-{v['id']}-metric-values.json", 'w') as f:
        json.dump({'method': 'GET', 'path': path + '?get=', 'status': 200, 'body': values}, f, indent=1)
        f.write('\n')

boundary = 'qa-' + uuid.uuid4().hex
jar_bytes = open(JAR, 'rb').read()
multipart = (f'--{boundary}\r\nContent-Disposition: form-data; name="jarfile"; filename="{JAR.rsplit("/", 1)[-1]}"\r\n'
             'Content-Type: application/x-java-archive\r\n\r\n').encode() + jar_bytes + f'\r\n--{boundary}--\r\n'.encode()
_, up = record('jars-upload', 'POST', '/jars/upload', multipart, {'Content-Type': f'multipart/form-data; boundary={boundary}'})
jar_id = up['filename'].rsplit('/', 1)[-1]
record('jars', 'GET', '/jars')
_, run = record('jar-run', 'POST', f'/jars/{jar_id}/run', {
    'entryClass': 'dev.qaengine.normalize.NormalizeJob', 'parallelism': 1,
    'programArgsList': [f'QA_KAFKA_BOOTSTRAP={KAFKA}', 'QA_NORMALIZE_GROUP_ID=qa-record']})
job = run['jobid']
# the job reports RUNNING before its tasks are: a savepoint then fails ("Not all required tasks are currently running")
while any(v['status'] != 'RUNNING' for v in call('GET', f'/jobs/{job}')[1]['vertices']):
    time.sleep(0.5)
record('jobs-overview-two-running', 'GET', '/jobs/overview')
_, stop = record('job-stop', 'POST', f'/jobs/{job}/stop', {'drain': False})
trigger = stop['request-id']
status, sp = call('GET', f'/jobs/{job}/savepoints/{trigger}')
while sp['status']['id'] != 'COMPLETED':
    time.sleep(0.2)
    status, sp = call('GET', f'/jobs/{job}/savepoints/{trigger}')
record('savepoint-completed', 'GET', f'/jobs/{job}/savepoints/{trigger}')
while call('GET', f'/jobs/{job}')[1]['state'] != 'FINISHED':
    time.sleep(0.5)
record('jobs-overview-one-finished', 'GET', '/jobs/overview')
record('job-finished', 'GET', f'/jobs/{job}')
record('job-finished-checkpoints', 'GET', f'/jobs/{job}/checkpoints')
_, stop2 = record('job-stop-ended', 'POST', f'/jobs/{job}/stop', {'drain': False})
time.sleep(1)
record('savepoint-failed-job-ended', 'GET', f"/jobs/{job}/savepoints/{stop2['request-id']}")
record('savepoint-unknown-trigger', 'GET', f'/jobs/{job}/savepoints/00000000000000000000000000000000')
record('job-unknown', 'GET', '/jobs/00000000000000000000000000000000')
record('job-stop-unknown', 'POST', '/jobs/00000000000000000000000000000000/stop', {'drain': False})
record('jar-run-unknown-class', 'POST', f'/jars/{jar_id}/run', {'entryClass': 'dev.qaengine.NoSuchJob', 'parallelism': 1})
record('jar-run-unknown-jar', 'POST', '/jars/00000000-0000-0000-0000-000000000000_qa-jobs.jar/run',
       {'entryClass': 'dev.qaengine.normalize.NormalizeJob'})
