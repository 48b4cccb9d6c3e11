-- wrk script: send the proposal form again and again, each time with a fresh one-time
-- submission token, as residents sending many proposals from one session would.
-- bench/run.py passes the session cookie with -H and the form's CSRF token in
-- BENCH_CSRF_TOKEN. An answer other than the redirect to a receipt is counted and
-- reported as "Not sent: N" (a 200 would be the form shown again with an error).

local TOKEN_CHARACTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
local BODY = "<p>Det behövs fler <strong>bänkar</strong> längs ån, så att äldre orkar gå "
    .. "hela vägen till torget.</p><ul><li>Vid lekplatsen</li><li>Vid bron</li></ul>"
local threads = {}

local function encode(text)
    return (text:gsub("[^%w%-_%.~]", function(character)
        return string.format("%%%02X", string.byte(character))
    end))
end

local function fresh_token()
    local characters = {}
    for position = 1, 43 do
        local index = math.random(1, #TOKEN_CHARACTERS)
        characters[position] = TOKEN_CHARACTERS:sub(index, index)
    end
    return table.concat(characters)
end

function setup(thread)
    thread:set("number", #threads + 1)
    table.insert(threads, thread)
end

function init(args)
    math.randomseed(os.time() * 1000 + number * 7919)
    csrf = encode(os.getenv("BENCH_CSRF_TOKEN") or "")
    sent = 0
    not_sent = 0
    wrk.method = "POST"
    wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
end

function request()
    sent = sent + 1
    local title = encode(string.format("Fler bänkar längs ån (%d-%d)", number, sent))
    local body = "csrf_token=" .. csrf .. "&submission=" .. fresh_token()
        .. "&title=" .. title .. "&body=" .. encode(BODY)
    return wrk.format(nil, nil, nil, body)
end

function response(status, headers, body)
    if status ~= 302 or not (headers["Location"] or ""):find("/receipt/", 1, true) then
        not_sent = not_sent + 1
    end
end

function done(summary, latency, requests)
    local total = 0
    for _, thread in ipairs(threads) do
        total = total + thread:get("not_sent")
    end
    io.write(string.format("Not sent: %d\n", total))
end
