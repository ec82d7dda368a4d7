-- wrk script: POST a new incident with the call handler's session.
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Cookie"] = os.getenv("COOKIE")
wrk.headers["X-CSRF-Token"] = os.getenv("CSRF")
wrk.body = '{"position":{"lat":52.6703,"lon":-0.7270},"description":"Load test call","indicators":{"bladed_weapon":true}}'

local bad = 0
response = function(status, headers, body)
  if status ~= 201 then
    bad = bad + 1
    if bad <= 3 then io.write("unexpected status ", status, ": ", body, "\n") end
  end
end
