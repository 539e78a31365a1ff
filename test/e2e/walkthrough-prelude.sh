# Sourced before each walk-through block by test/e2e/walkthroughs.test.ts (bash). curl becomes a function around
# the real one that prints the answer as curl -s would, records its status in $WALK_LOG (FAIL when it is 400 or
# more, or not the status a `# → NNN` comment asks for: the runner sets __EXPECT for that call), and keeps the
# last job id for the `<jobId>` placeholders. Only method and path are logged: never a header or a body sent.
curl() {
  local out status method=GET url='' a
  for a in "$@"; do
    case "$a" in
      http://* | https://*) url=$a ;;
      POST | PUT | DELETE | GET) method=$a ;;
    esac
  done
  case " $* " in *" -d "* | *" --data"*) [ "$method" = GET ] && method=POST ;; esac
  out=$(command curl -sS -w $'\n%{http_code}' "$@")
  status=${out##*$'\n'}
  out=${out%$'\n'*}
  printf '%s\n' "$out"
  local want=${__EXPECT:-} where=${url%%\?*} issue pointer code
  local IFS_=$IFS
  IFS=';'
  for issue in ${__EXPECT_DETAILS:-}; do
    pointer=${issue%% *} code=${issue#* }
    case "$out" in
      *"\"pointer\":\"$pointer\",\"code\":\"$code\""*) ;;
      *) printf 'FAIL %s %s: no issue %s %s in the details the doc shows: %.300s\n' "$method" "$where" "$pointer" "$code" "$out" >>"$WALK_LOG" ;;
    esac
  done
  IFS=$IFS_
  if [ -n "$want" ] && [ "$status" != "$want" ]; then
    printf 'FAIL %s %s answered %s, the doc says %s: %.300s\n' "$method" "$where" "$status" "$want" "$out" >>"$WALK_LOG"
  elif [ -z "$want" ] && [ "$status" -ge 400 ]; then
    printf 'FAIL %s %s answered %s: %.300s\n' "$method" "$where" "$status" "$out" >>"$WALK_LOG"
  else
    printf 'ok %s %s %s\n' "$status" "$method" "$where" >>"$WALK_LOG"
  fi
  local id
  id=$(printf '%s' "$out" | grep -o '"jobId":"[0-9a-f-]*"' | head -1 | cut -d'"' -f4)
  if [ -n "$id" ]; then
    LAST_JOB_ID=$id
    printf 'job %s\n' "$id" >>"$WALK_LOG"
  fi
}
KEY=$(cat .data/local-api-key)
