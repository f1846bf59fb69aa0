"""redis-py in its default mode (RESP3 through HELLO 3) against one server: prints what each call
returned, as Python sees it (repr: bytes, floats, dicts and tuples stay apart), one JSON document.

Exits non-zero if redis-py warned or logged anything (its "does not support HELLO (RESP3). Falling
back to RESP2" is a logging warning) or did not end up speaking RESP3.

Usage: python redis_py.py PORT
"""

import json
import logging
import sys
import warnings

logged = []


class Capture(logging.Handler):
    def emit(self, record):
        logged.append(f"{record.levelname} {record.name}: {record.getMessage()}")


logging.getLogger().addHandler(Capture())
logging.getLogger().setLevel(logging.INFO)
warnings.simplefilter("error")

import redis  # noqa: E402  (after the warning filters, so import-time warnings count too)

r = redis.Redis(port=int(sys.argv[1]))
out = []


def step(name, call):
    try:
        value = call()
    except redis.exceptions.WatchError:
        value = "WatchError"
    except redis.exceptions.ResponseError as e:
        value = f"ResponseError: {e}"
    out.append([name, repr(value)])


def watched_transaction():
    with r.pipeline() as pipe:
        pipe.watch("w")
        r.set("w", "changed")
        pipe.multi()
        pipe.get("w")
        return pipe.execute()


def hello():
    reply = r.execute_command("HELLO")
    reply.pop(b"id", None)  # each server counts its own connections
    return reply


step("flushall", r.flushall)
step("hello", hello)
step("set", lambda: r.set("likes", 100))
step("incr", lambda: r.incr("likes"))
step("incrby", lambda: r.incrby("likes", 10))
step("incrbyfloat", lambda: r.incrbyfloat("price", 0.1))
step("incrbyfloat again", lambda: r.incrbyfloat("price", 0.2))
step("get", lambda: r.get("likes"))
step("get missing", lambda: r.get("nothing"))
step("set nx get", lambda: r.set("likes", 1, nx=True, get=True))
step("getset", lambda: r.getset("likes", 7))
step("getdel", lambda: r.getdel("likes"))
step("hset", lambda: r.hset("user:1", mapping={"name": "ada", "visits": 1}))
step("hgetall", lambda: r.hgetall("user:1"))
step("hgetall missing", lambda: r.hgetall("nothing"))
step("hget", lambda: r.hget("user:1", "name"))
step("hincrby", lambda: r.hincrby("user:1", "visits", 2))
step("hincrbyfloat", lambda: r.hincrbyfloat("user:1", "score", 1.5))
step("hexists", lambda: r.hexists("user:1", "name"))
step("hlen", lambda: r.hlen("user:1"))
step("hdel", lambda: r.hdel("user:1", "name"))
step("zadd", lambda: r.zadd("board", {"ada": 10, "bob": 20.5, "cy": 0.1}))
step("zadd incr", lambda: r.zadd("board", {"ada": 5}, incr=True))
step("zadd nx incr", lambda: r.zadd("board", {"ada": 5}, nx=True, incr=True))
step("zincrby", lambda: r.zincrby("board", 2, "bob"))
step("zscore", lambda: r.zscore("board", "cy"))
step("zscore missing", lambda: r.zscore("board", "nobody"))
step("zrange", lambda: r.zrange("board", 0, -1))
step("zrange withscores", lambda: r.zrange("board", 0, -1, withscores=True))
step("zrevrange withscores", lambda: r.zrevrange("board", 0, 1, withscores=True))
step("zrange byscore", lambda: r.zrange("board", 0, 100, byscore=True, offset=1, num=1, withscores=True))
step("zrank", lambda: r.zrank("board", "bob"))
step("zrevrank", lambda: r.zrevrank("board", "bob"))
step("zrank missing", lambda: r.zrank("board", "nobody"))
step("zcard", lambda: r.zcard("board"))
step("zrem", lambda: r.zrem("board", "cy"))
step("exists", lambda: r.exists("board", "user:1", "nothing"))
step("type", lambda: r.type("board"))
step("keys", lambda: sorted(r.keys("*")))
step("expireat", lambda: r.expireat("board", 4102444800))
step("expiretime", lambda: r.expiretime("board"))
step("ttl missing", lambda: r.ttl("nothing"))
step("persist", lambda: r.persist("board"))
step("wrong type", lambda: r.incr("board"))
step("transaction", lambda: r.pipeline().incr("n").get("n").zscore("board", "ada").hgetall("user:1").execute())
step("watched transaction", watched_transaction)
step("config get", lambda: r.config_get("save"))
step("info keyspace", lambda: r.info("keyspace"))
step("client setname", lambda: r.client_setname("py"))
step("client getname", r.client_getname)
step("ping", r.ping)
step("echo", lambda: r.echo("hi"))
step("dbsize", r.dbsize)

conn = r.connection_pool.get_connection()
protocol = conn.protocol
r.connection_pool.release(conn)
r.close()

print(json.dumps({"client": f"redis-py {redis.__version__}", "results": out}, indent=1))
problems = list(logged)
if str(protocol) != "3":
    problems.append(f"redis-py speaks RESP{protocol}, not RESP3")
for problem in problems:
    print(problem, file=sys.stderr)
sys.exit(1 if problems else 0)
