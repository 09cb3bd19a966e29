//+------------------------------------------------------------------+
//| TradeFlowBridge.mq5 - connects a MetaTrader 5 terminal to        |
//| TradeFlow (EA protocol 2). The router cannot call the terminal,  |
//| so this EA calls out: it polls the router for commands, executes |
//| each command id at most once, acknowledges exactly what happened |
//| (executed volume and deal price from the deal history, or the    |
//| refusal, or "outcome unknown"), pushes positions and account,    |
//| and heartbeats only while the terminal can trade.                |
//| Protocol and guarantees: ea/README.md.                           |
//|                                                                  |
//| Not compiled or run in this repository (no terminal on the build |
//| machines): every trade call below was read against the MQL5      |
//| reference page cited next to it.                                 |
//+------------------------------------------------------------------+
#property copyright "TradeFlow"
#property version   "2.00"

#define TF_PROTOCOL        2
#define LOCK_STALE_SECONDS 30      // a lock whose holder has not refreshed it for this long is taken over
// Per-command states kept in terminal global variables "TF.<id>.s" (they survive restarts once flushed).
#define ST_NEW     1.0             // created, not claimed
#define ST_SENDING 2.0             // claimed; a trade request may have gone out (flushed before sending)
#define ST_DONE    3.0             // outcome recorded in TF.<id>.r/.t/.p/.v/.e
// Recorded results (TF.<id>.r)
#define R_FILLED   1.0
#define R_PLACED   2.0
#define R_REFUSED  3.0
#define R_EXPIRED  4.0
#define R_UNKNOWN  5.0

input string RouterUrl      = "https://your-tradeflow-host"; // allow it in Tools > Options > Expert Advisors
input string LicenseToken   = "";                            // the account's mtx license token
input int    PollSeconds    = 1;                             // how often to poll when idle
input int    LongPollMillis = 0;                             // >0: let the router hold the poll open this long
input int    StateSeconds   = 10;                            // how often to push positions and account
input int    SlippagePoints = 20;                            // max deviation for market orders, in points
input long   MagicNumber    = 20261123;
input int    TradeRetries   = 3;                             // requotes / price changed / too many requests

// What one command did, acknowledged as one ack.
struct Outcome
  {
   string            result;    // filled | placed | refused | expired | unknown
   ulong             ticket;
   double            volume;    // lots executed (closed + opened)
   double            notional;  // sum of volume * deal price, for the average price
   int               code;
   string            error;
  };

string   g_instance    = "";
double   g_lockToken   = 0;
bool     g_locked      = false;
bool     g_idleNotice  = false;
bool     g_outdated    = false;
uint     g_lastState   = 0;
bool     g_lastCanTrade = true;
long     g_serverTime  = 0;       // router clock (ms) from the last poll answer
bool     g_eaStopped   = false;   // the user stopped the EA from the dashboard (ea_state on every poll)
uint     g_serverTick  = 0;       // GetTickCount() when that answer arrived

//+------------------------------------------------------------------+
//| HTTP                                                             |
//+------------------------------------------------------------------+
// POSTs body to RouterUrl + /api/mtx/v1/<endpoint>; returns the HTTP status (-1: no answer), the body in answer.
// WebRequest: https://www.mql5.com/en/docs/network/webrequest
int Post(const string endpoint, const string body, string &answer)
  {
   char data[];
   char result[];
   string responseHeaders;
   int n = StringToCharArray(body, data, 0, WHOLE_ARRAY, CP_UTF8);
   ArrayResize(data, (int)MathMax(n - 1, 0));                   // drop the terminating zero
   string headers = "Authorization: Bearer " + LicenseToken + "\r\nContent-Type: application/json\r\n"
                    + "X-TradeFlow-Protocol: " + IntegerToString(TF_PROTOCOL) + "\r\n"
                    + "X-TradeFlow-Instance: " + g_instance + "\r\n";
   int timeout = 5000 + (int)MathMax(LongPollMillis, 0);
   ResetLastError();
   int status = WebRequest("POST", RouterUrl + "/api/mtx/v1/" + endpoint, headers, timeout, data, result, responseHeaders);
   if(status == -1)
     {
      int err = GetLastError();
      if(err == 4014)                                         // ERR_FUNCTION_NOT_ALLOWED: URL not in the allow-list
         Print("TradeFlow: add ", RouterUrl, " to Tools > Options > Expert Advisors > Allow WebRequest for listed URL");
      else if(err >= 5200 && err <= 5203)                     // ERR_WEBREQUEST_*: invalid address, connect failed, timeout, request failed
         Print("TradeFlow: ", endpoint, ": the router could not be reached (error ", err, "); check RouterUrl, TLS and the network");
      else
         Print("TradeFlow: ", endpoint, " failed, error ", err);
      return -1;
     }
   answer = CharArrayToString(result, 0, WHOLE_ARRAY, CP_UTF8);
   if(status != 200)
     {
      // Every non-200 answer is logged; the router names the problem in error.message.
      if(status == 401)
         Print("TradeFlow: the router does not know this license token (401)");
      else if(status == 426)
        {
         if(!g_outdated)
            Print("TradeFlow: the router refuses this EA's protocol: ", answer);
         g_outdated = true;
        }
      else
         Print("TradeFlow: ", endpoint, " answered HTTP ", status, ": ", StringSubstr(answer, 0, 300));
     }
   else
      g_outdated = false;
   return status;
  }

string Num(const double v) { return DoubleToString(v, 8); }

// A JSON string literal's content: quotes, backslashes and control characters escaped.
string Esc(const string s)
  {
   string out = "";
   int len = StringLen(s);
   for(int i = 0; i < len; i++)
     {
      ushort c = StringGetCharacter(s, i);
      if(c == '\"')
         out += "\\\"";
      else if(c == '\\')
         out += "\\\\";
      else if(c == '\n')
         out += "\\n";
      else if(c == '\r')
         out += "\\r";
      else if(c == '\t')
         out += "\\t";
      else if(c < 32)
         out += " ";
      else
         out += ShortToString(c);
     }
   return out;
  }

//+------------------------------------------------------------------+
//| lifecycle                                                        |
//+------------------------------------------------------------------+
int OnInit()
  {
   if(StringLen(LicenseToken) < 20)
     {
      Print("TradeFlow: set LicenseToken to the token shown when the mtx account was created");
      return INIT_PARAMETERS_INCORRECT;
     }
   MathSrand((uint)(GetTickCount() ^ (uint)(ChartID() & 0x7FFFFFFF)));
   g_lockToken = 1.0 + (double)MathRand() * 32768.0 + (double)MathRand();   // this run's lock token, never 0
   g_instance = InstanceId();
   EventSetTimer((int)MathMax(PollSeconds, 1));
   return INIT_SUCCEEDED;
  }

void OnDeinit(const int reason)
  {
   EventKillTimer();
   if(g_locked)
     {
      // GlobalVariableSetOnCondition: https://www.mql5.com/en/docs/globals/globalvariablesetoncondition
      GlobalVariableSetOnCondition(LockName(), 0.0, g_lockToken);
      GlobalVariablesFlush();                                 // https://www.mql5.com/en/docs/globals/globalvariablesflush
     }
  }

// Runs on the timer, not on ticks: polling and state pushes go on when quotes stop (weekends).
void OnTimer()
  {
   if(!HoldLock())
      return;                                                 // another instance trades this account here
   string why = "";
   bool canTrade = CanTrade(why);
   if(canTrade)
     {
      string answer;
      int status = Post("poll?format=text&wait_ms=" + IntegerToString((int)MathMax(LongPollMillis, 0)), "{}", answer);
      if(status == 200)
         HandleCommands(answer);
     }
   // No poll while the terminal cannot trade: the state push says why, and it is no heartbeat.
   if(canTrade != g_lastCanTrade || GetTickCount() - g_lastState >= (uint)MathMax(StateSeconds, 1) * 1000 || g_lastState == 0)
      PushState(canTrade, why);
  }

// Whether this terminal can trade now; why not in reason.
// TerminalInfoInteger: https://www.mql5.com/en/docs/check/terminalinfointeger
// MQLInfoInteger: https://www.mql5.com/en/docs/check/mqlinfointeger
// AccountInfoInteger (ACCOUNT_TRADE_ALLOWED, ACCOUNT_TRADE_EXPERT): https://www.mql5.com/en/docs/constants/environment_state/accountinformation
bool CanTrade(string &reason)
  {
   if(!TerminalInfoInteger(TERMINAL_CONNECTED))
      reason = "the terminal is not connected to the broker's trade server";
   else if(!TerminalInfoInteger(TERMINAL_TRADE_ALLOWED))
      reason = "algo trading is off in the terminal (the Algo Trading button)";
   else if(!MQLInfoInteger(MQL_TRADE_ALLOWED))
      reason = "algo trading is not allowed for this EA (its Common tab)";
   else if(!AccountInfoInteger(ACCOUNT_TRADE_ALLOWED))
      reason = "trading is disabled for this account (logged in with the investor password?)";
   else if(!AccountInfoInteger(ACCOUNT_TRADE_EXPERT))
      reason = "the broker does not allow expert advisors on this account";
   else
     {
      reason = "";
      return true;
     }
   return false;
  }

//+------------------------------------------------------------------+
//| single instance and identity                                     |
//+------------------------------------------------------------------+
string LockName() { return "TF.lock." + IntegerToString(AccountInfoInteger(ACCOUNT_LOGIN)); }

// This terminal's stable EA instance id for the router (kept in a global variable, so it survives restarts).
string InstanceId()
  {
   string name = "TF.instance." + IntegerToString(AccountInfoInteger(ACCOUNT_LOGIN));
   if(!GlobalVariableCheck(name))
     {
      GlobalVariableSet(name, 1.0 + (double)MathRand() * 32768.0 + (double)MathRand());
      GlobalVariablesFlush();
     }
   return "mt5-" + IntegerToString(AccountInfoInteger(ACCOUNT_LOGIN)) + "-" + IntegerToString((long)GlobalVariableGet(name));
  }

// One EA per account in this terminal trades: it holds TF.lock.<login> (its run token) and refreshes
// TF.lock.<login>.beat; a lock not refreshed for LOCK_STALE_SECONDS (a crashed EA) is taken over.
// Every check-and-take is GlobalVariableSetOnCondition, which is atomic across the terminal's EAs:
// https://www.mql5.com/en/docs/globals/globalvariablesetoncondition
bool HoldLock()
  {
   string name = LockName();
   string beat = name + ".beat";
   if(g_locked)
     {
      // Compare-and-set to the same value: true only while the lock still holds our token.
      if(GlobalVariableSetOnCondition(name, g_lockToken, g_lockToken))
        {
         GlobalVariableSet(beat, (double)TimeLocal());
         return true;
        }
      g_locked = false;
      Print("TradeFlow: another TradeFlow EA took over this account's lock; this one stops trading");
      return false;
     }
   if(!GlobalVariableCheck(name))
      GlobalVariableSet(name, 0.0);
   double holder = GlobalVariableGet(name);
   bool taken;
   if(holder == 0.0)
      taken = GlobalVariableSetOnCondition(name, g_lockToken, 0.0);
   else
     {
      double last = GlobalVariableCheck(beat) ? GlobalVariableGet(beat) : 0.0;
      taken = (double)TimeLocal() - last > LOCK_STALE_SECONDS && GlobalVariableSetOnCondition(name, g_lockToken, holder);
     }
   if(!taken)
     {
      if(!g_idleNotice)
         Print("TradeFlow: another TradeFlow EA already trades account ", AccountInfoInteger(ACCOUNT_LOGIN),
               " in this terminal; this one stays idle (run one per account)");
      g_idleNotice = true;
      return false;
     }
   GlobalVariableSet(beat, (double)TimeLocal());
   GlobalVariablesFlush();
   g_locked = true;
   g_idleNotice = false;
   Print("TradeFlow: connected as instance ", g_instance, ", protocol ", TF_PROTOCOL);
   return true;
  }

//+------------------------------------------------------------------+
//| commands                                                         |
//+------------------------------------------------------------------+
// Poll answer: "commands=N|server_time=T|protocol=2|ea_state=running|stopped" then one line per command:
// id|action|symbol|side|type|volume|price|sl_mode|sl|tp_mode|tp|ticket|reduce_only|created_at|expires_at
void HandleCommands(const string text)
  {
   string lines[];
   int count = StringSplit(text, '\n', lines);
   if(count < 1)
      return;
   string head[];
   int h = StringSplit(lines[0], '|', head);
   for(int k = 0; k < h; k++)
      if(StringFind(head[k], "server_time=") == 0)
         g_serverTime = StringToInteger(StringSubstr(head[k], 12));
   bool stopped = false;
   for(int k = 0; k < h; k++)
      if(head[k] == "ea_state=stopped")
         stopped = true;
   if(stopped != g_eaStopped)
     {
      g_eaStopped = stopped;
      Print(stopped ? "TradeFlow: the EA is stopped from the dashboard; commands are not executed"
                    : "TradeFlow: the EA is started from the dashboard; trading again");
      Comment(stopped ? "TradeFlow: STOPPED from the dashboard" : "");
     }
   g_serverTick = GetTickCount();
   for(int i = 1; i < count; i++)
     {
      string f[];
      if(StringSplit(lines[i], '|', f) < 15)
         continue;
      Execute(f);
     }
  }

// The router's clock now: its time in the poll answer plus the time elapsed here since.
long RouterNow() { return g_serverTime + (long)(GetTickCount() - g_serverTick); }

string Key(const string id, const string part) { return "TF." + id + "." + part; }

// Executes a command at most once. The id is claimed atomically before anything is sent and the
// claim is flushed to disk; a claimed id that has no recorded outcome (a crash mid-trade) is never
// executed again: its outcome is rebuilt from the deal history, else acknowledged "unknown".
void Execute(string &f[])
  {
   string id = f[0];
   string sKey = Key(id, "s");
   double state = GlobalVariableCheck(sKey) ? GlobalVariableGet(sKey) : 0.0;
   if(state == ST_DONE)
     {
      AckRecorded(id);
      return;
     }
   Outcome o;
   ResetOutcome(o);
   if(state == ST_SENDING)
     {
      Recover(id, o);                                          // in doubt: never trade again
      Record(id, o);
      Ack(id, o);
      return;
     }
   long expires = StringToInteger(f[14]);
   if(RouterNow() > expires)
     {
      o.result = "expired";
      o.error = "received " + IntegerToString((RouterNow() - expires) / 1000) + " s after its expiry; not executed";
      Record(id, o);
      Ack(id, o);
      return;
     }
   if(g_eaStopped)
     {
      o.result = "refused";
      o.error = "the EA is stopped from the TradeFlow dashboard; not executed";
      Record(id, o);
      Ack(id, o);
      return;
     }
   if(state == 0.0)
      GlobalVariableSet(sKey, ST_NEW);
   if(!GlobalVariableSetOnCondition(sKey, ST_SENDING, ST_NEW))
      return;                                                  // claimed elsewhere meanwhile: that run answers it
   GlobalVariablesFlush();                                     // the claim is on disk before any trade goes out
   Run(f, o);
   Record(id, o);
   Ack(id, o);
  }

void ResetOutcome(Outcome &o)
  {
   o.result = "refused";
   o.ticket = 0;
   o.volume = 0;
   o.notional = 0;
   o.code = 0;
   o.error = "";
  }

void Run(string &f[], Outcome &o)
  {
   string id = f[0], action = f[1], symbol = f[2], side = f[3], type = f[4];
   double volume = StringToDouble(f[5]), price = StringToDouble(f[6]);
   if(action == "cancel")
     {
      Cancel(id, (ulong)StringToInteger(f[11]), o);
      return;
     }
   // SymbolSelect: https://www.mql5.com/en/docs/marketinformation/symbolselect
   if(!SymbolSelect(symbol, true))
     {
      o.code = GetLastError();
      o.error = "symbol " + symbol + " is not offered by this broker (check the account's symbol suffix)";
      return;
     }
   MqlTick tick;
   // SymbolInfoTick: https://www.mql5.com/en/docs/marketinformation/symbolinfotick
   if(!SymbolInfoTick(symbol, tick) || tick.bid <= 0 || tick.ask <= 0)
     {
      o.error = "no quote for " + symbol + " (market closed or symbol not streaming)";
      return;
     }
   if(action == "close")                                       // reduce-only: never opens anything
     {
      CloseUpTo(id, symbol, side, volume <= 0 ? 0 : volume, o);
      return;
     }
   double lots = NormalizeLots(symbol, volume, o);
   if(lots <= 0)
      return;
   bool buy = side == "buy";
   if(type == "market")
      OpenMarket(id, symbol, buy, lots, f[7], StringToDouble(f[8]), f[9], StringToDouble(f[10]), o);
   else
      PlacePending(id, symbol, buy, type, lots, price, f[7], StringToDouble(f[8]), f[9], StringToDouble(f[10]), o);
  }

//+------------------------------------------------------------------+
//| volumes and prices                                               |
//+------------------------------------------------------------------+
// Lots rounded down to the symbol's step; refused (0) below the minimum or above the maximum.
// SYMBOL_VOLUME_STEP/MIN/MAX: https://www.mql5.com/en/docs/constants/environment_state/marketinfoconstants
double NormalizeLots(const string symbol, const double volume, Outcome &o)
  {
   double step = SymbolInfoDouble(symbol, SYMBOL_VOLUME_STEP);
   double minLot = SymbolInfoDouble(symbol, SYMBOL_VOLUME_MIN);
   double maxLot = SymbolInfoDouble(symbol, SYMBOL_VOLUME_MAX);
   if(step <= 0)
      step = 0.01;
   double lots = MathFloor(volume / step + 1e-7) * step;
   lots = NormalizeDouble(lots, 8);
   if(lots < minLot - 1e-9)
     {
      o.error = "volume " + Num(volume) + " is below " + symbol + "'s minimum of " + Num(minLot) + " lots (step " + Num(step) + ")";
      return 0;
     }
   if(lots > maxLot + 1e-9)
     {
      o.error = "volume " + Num(volume) + " is above " + symbol + "'s maximum of " + Num(maxLot) + " lots";
      return 0;
     }
   return lots;
  }

// A price rounded to the symbol's tick size (SYMBOL_TRADE_TICK_SIZE), then to its digits.
double RoundPrice(const string symbol, const double p)
  {
   double tick = SymbolInfoDouble(symbol, SYMBOL_TRADE_TICK_SIZE);
   int digits = (int)SymbolInfoInteger(symbol, SYMBOL_DIGITS);
   if(tick > 0)
      return NormalizeDouble(MathRound(p / tick) * tick, digits);
   return NormalizeDouble(p, digits);
  }

// A stop or target: "price" is absolute, "distance" a price distance from ref (the router computed it
// with its instrument table: the EA never converts pips), "none" is 0.
double Level(const string symbol, const string mode, const double value, const double ref, const bool buy, const bool isStop)
  {
   if(value <= 0)
      return 0;
   if(mode == "price")
      return RoundPrice(symbol, value);
   if(mode != "distance")
      return 0;
   bool below = (buy && isStop) || (!buy && !isStop);
   return RoundPrice(symbol, below ? ref - value : ref + value);
  }

// Whether sl/tp are on the right side of the price and at least the broker's stops level away from it
// (SYMBOL_TRADE_STOPS_LEVEL, in points). price is where the position opens: the quote it fills at, or
// the pending order's price.
bool StopsValid(const string symbol, const bool buy, const double price, const double sl, const double tp, Outcome &o)
  {
   double point = SymbolInfoDouble(symbol, SYMBOL_POINT);
   double minDist = (double)SymbolInfoInteger(symbol, SYMBOL_TRADE_STOPS_LEVEL) * point;
   if(sl > 0 && (buy ? price - sl : sl - price) < MathMax(minDist, point))
     {
      o.code = TRADE_RETCODE_INVALID_STOPS;
      o.error = "stop loss " + DoubleToString(sl, (int)SymbolInfoInteger(symbol, SYMBOL_DIGITS)) + " is on the wrong side of "
                + DoubleToString(price, (int)SymbolInfoInteger(symbol, SYMBOL_DIGITS)) + " or within the broker's stops level of "
                + IntegerToString(SymbolInfoInteger(symbol, SYMBOL_TRADE_STOPS_LEVEL)) + " points";
      return false;
     }
   if(tp > 0 && (buy ? tp - price : price - tp) < MathMax(minDist, point))
     {
      o.code = TRADE_RETCODE_INVALID_STOPS;
      o.error = "take profit " + DoubleToString(tp, (int)SymbolInfoInteger(symbol, SYMBOL_DIGITS)) + " is on the wrong side of "
                + DoubleToString(price, (int)SymbolInfoInteger(symbol, SYMBOL_DIGITS)) + " or within the broker's stops level of "
                + IntegerToString(SymbolInfoInteger(symbol, SYMBOL_TRADE_STOPS_LEVEL)) + " points";
      return false;
     }
   return true;
  }

// The filling policy the symbol allows for a market deal: FOK, else IOC, else RETURN (exchange execution).
// SYMBOL_FILLING_MODE: https://www.mql5.com/en/docs/constants/environment_state/marketinfoconstants#symbol_filling_mode
ENUM_ORDER_TYPE_FILLING DealFilling(const string symbol)
  {
   long filling = SymbolInfoInteger(symbol, SYMBOL_FILLING_MODE);
   if((filling & SYMBOL_FILLING_FOK) == SYMBOL_FILLING_FOK)
      return ORDER_FILLING_FOK;
   if((filling & SYMBOL_FILLING_IOC) == SYMBOL_FILLING_IOC)
      return ORDER_FILLING_IOC;
   return ORDER_FILLING_RETURN;
  }

bool IsHedging()
  {
   // ACCOUNT_MARGIN_MODE: https://www.mql5.com/en/docs/constants/environment_state/accountinformation
   return (ENUM_ACCOUNT_MARGIN_MODE)AccountInfoInteger(ACCOUNT_MARGIN_MODE) == ACCOUNT_MARGIN_MODE_RETAIL_HEDGING;
  }

//+------------------------------------------------------------------+
//| sending                                                          |
//+------------------------------------------------------------------+
// Sends one request with brief retries on requotes, changed prices, no quotes and too many requests
// (market deals are re-priced each time). Returns 1 done/placed, 0 refused (nothing happened), -1 outcome
// unknown (a timeout, or an answer that does not say). OrderSend: https://www.mql5.com/en/docs/trading/ordersend
// Return codes: https://www.mql5.com/en/docs/constants/errorswarnings/enum_trade_return_codes
// MqlTradeResult (retcode, deal, order, volume, price): https://www.mql5.com/en/docs/constants/structures/mqltraderesult
int Send(MqlTradeRequest &req, MqlTradeResult &res, Outcome &o)
  {
   int retries = (int)MathMax(TradeRetries, 0);
   for(int attempt = 0; attempt <= retries; attempt++)
     {
      if(req.action == TRADE_ACTION_DEAL)
        {
         MqlTick tick;
         if(SymbolInfoTick(req.symbol, tick))
            req.price = req.type == ORDER_TYPE_BUY ? tick.ask : tick.bid;
        }
      ZeroMemory(res);
      ResetLastError();
      bool sent = OrderSend(req, res);
      uint rc = res.retcode;
      if(rc == TRADE_RETCODE_DONE || rc == TRADE_RETCODE_DONE_PARTIAL || rc == TRADE_RETCODE_PLACED)
         return 1;
      if(rc == TRADE_RETCODE_REQUOTE || rc == TRADE_RETCODE_PRICE_CHANGED || rc == TRADE_RETCODE_PRICE_OFF
         || rc == TRADE_RETCODE_TOO_MANY_REQUESTS || rc == TRADE_RETCODE_CONNECTION)
        {
         Sleep(300 * (attempt + 1));
         continue;
        }
      o.code = (int)(rc != 0 ? rc : (uint)GetLastError());
      o.error = res.comment != "" ? res.comment : "OrderSend failed";
      if(rc == TRADE_RETCODE_TIMEOUT || rc == TRADE_RETCODE_LOCKED || (sent && rc == 0))
         return -1;                                            // it may have executed: never send again
      return 0;
     }
   o.code = (int)res.retcode;
   o.error = "still refused after " + IntegerToString(retries + 1) + " attempts: " + res.comment;
   return 0;
  }

// Adds the deals a done request made to the outcome: volume and price from the deal history (the
// result's own fields are a fallback when the history does not show the deal yet). Returns the lots
// added: 0 for a market order the server accepted (PLACED) that shows no deal yet.
// HistoryDealSelect / HistorySelect: https://www.mql5.com/en/docs/trading/historydealselect, https://www.mql5.com/en/docs/trading/historyselect
double AddDeals(const MqlTradeResult &res, Outcome &o)
  {
   double vol = 0, notional = 0;
   for(int tries = 0; tries < 5 && vol <= 0; tries++)
     {
      if(res.deal > 0 && HistoryDealSelect(res.deal))
        {
         vol = HistoryDealGetDouble(res.deal, DEAL_VOLUME);
         notional = vol * HistoryDealGetDouble(res.deal, DEAL_PRICE);
        }
      else if(res.order > 0 && HistorySelect(TimeCurrent() - 86400, TimeCurrent() + 86400))
        {
         int total = HistoryDealsTotal();
         for(int i = 0; i < total; i++)
           {
            ulong deal = HistoryDealGetTicket(i);
            if(deal > 0 && (ulong)HistoryDealGetInteger(deal, DEAL_ORDER) == res.order)
              {
               double v = HistoryDealGetDouble(deal, DEAL_VOLUME);
               vol += v;
               notional += v * HistoryDealGetDouble(deal, DEAL_PRICE);
              }
           }
        }
      if(vol <= 0)
         Sleep(100);
     }
   if(vol <= 0 && res.volume > 0 && res.price > 0)
     {
      vol = res.volume;
      notional = res.volume * res.price;
     }
   o.volume += vol;
   o.notional += notional;
   return vol;
  }

// A deal request the server accepted without a deal to show (retcode PLACED, or history lagging):
// it may still execute, so the command is "unknown", never refused and never sent again.
void NoDealYet(const MqlTradeResult &res, Outcome &o)
  {
   o.result = "unknown";
   o.code = (int)res.retcode;
   o.error = "order " + IntegerToString((long)res.order) + " was accepted but no deal of it shows yet";
  }

//+------------------------------------------------------------------+
//| trading                                                          |
//+------------------------------------------------------------------+
// A market order: on a hedging account this EA's positions facing the other way are closed first
// (oldest first) and only the rest opens; on a netting account one deal does both (the server nets).
// Every step is checked: a failed close stops the command (the rest is never opened: no hedge), and
// the ack reports exactly the volume executed.
void OpenMarket(const string id, const string symbol, const bool buy, const double lots, const string slMode,
                const double slValue, const string tpMode, const double tpValue, Outcome &o)
  {
   MqlTick tick;
   SymbolInfoTick(symbol, tick);
   double ref = buy ? tick.ask : tick.bid;
   double sl = Level(symbol, slMode, slValue, ref, buy, true);
   double tp = Level(symbol, tpMode, tpValue, ref, buy, false);
   if(!StopsValid(symbol, buy, buy ? tick.bid : tick.ask, sl, tp, o))
      return;                                                  // checked before anything trades
   double rest = lots;
   if(IsHedging())
     {
      double before = o.volume;
      string side = buy ? "buy" : "sell";                      // a buy closes sells, a sell closes buys
      if(!CloseFacing(id, symbol, side, lots, o))
        {
         Finish(o);
         return;                                               // a close failed: stop, report what was done
        }
      rest = NormalizeDouble(lots - (o.volume - before), 8);
     }
   if(rest > 1e-9)
     {
      MqlTradeRequest req;
      MqlTradeResult res;
      ZeroMemory(req);
      req.action = TRADE_ACTION_DEAL;                          // MqlTradeRequest: https://www.mql5.com/en/docs/constants/structures/mqltraderequest
      req.symbol = symbol;
      req.volume = rest;
      req.type = buy ? ORDER_TYPE_BUY : ORDER_TYPE_SELL;
      req.price = ref;
      req.sl = sl;
      req.tp = tp;
      req.deviation = (ulong)(int)MathMax(SlippagePoints, 0);
      req.magic = (ulong)MagicNumber;
      req.comment = id;                                        // the id on every order
      req.type_filling = DealFilling(symbol);
      int sent = Send(req, res, o);
      if(sent == 1)
        {
         if(AddDeals(res, o) <= 0)
           {
            NoDealYet(res, o);
            return;
           }
         if(res.order > 0)
            o.ticket = res.order;
         if(res.retcode == TRADE_RETCODE_DONE_PARTIAL)
            o.error = "partially filled: " + Num(res.volume) + " of " + Num(rest) + " lots opened";
        }
      else if(sent == -1)
        {
         o.result = "unknown";
         return;
        }
     }
   Finish(o);
  }

// filled when anything executed (with the error of a later step, if any), refused otherwise.
void Finish(Outcome &o)
  {
   if(o.result == "unknown")
      return;
   o.result = o.volume > 1e-9 ? "filled" : "refused";
  }

// Closes up to volume lots (0 = all) of this EA's positions in symbol that a trade on `side` reduces
// ("buy" reduces shorts, "sell" longs, "" either), oldest first. Reduce-only: it never opens anything;
// each close names its position (request.position), so a position already gone (a broker-side stop)
// is refused by the server rather than turned into a new one. Returns false when a close failed.
// PositionGetTicket / PositionGet*: https://www.mql5.com/en/docs/trading/positiongetticket
bool CloseFacing(const string id, const string symbol, const string side, const double volume, Outcome &o)
  {
   double closed = 0;
   ulong done[];
   int doneCount = 0;
   while(volume <= 0 || closed < volume - 1e-9)
     {
      // The oldest matching position not closed yet (FIFO).
      ulong pick = 0;
      long pickTime = LONG_MAX;
      for(int i = PositionsTotal() - 1; i >= 0; i--)
        {
         ulong ticket = PositionGetTicket(i);
         if(ticket == 0 || PositionGetString(POSITION_SYMBOL) != symbol || PositionGetInteger(POSITION_MAGIC) != MagicNumber)
            continue;
         bool isBuy = PositionGetInteger(POSITION_TYPE) == POSITION_TYPE_BUY;
         if((side == "buy" && isBuy) || (side == "sell" && !isBuy))
            continue;
         bool seen = false;
         for(int k = 0; k < doneCount; k++)
            if(done[k] == ticket)
               seen = true;
         long t = PositionGetInteger(POSITION_TIME_MSC);
         if(!seen && t < pickTime)
           {
            pick = ticket;
            pickTime = t;
           }
        }
      // PositionSelectByTicket: https://www.mql5.com/en/docs/trading/positionselectbyticket
      if(pick == 0 || !PositionSelectByTicket(pick))
         break;
      ArrayResize(done, doneCount + 1);
      done[doneCount++] = pick;
      bool isBuy = PositionGetInteger(POSITION_TYPE) == POSITION_TYPE_BUY;
      double posVol = PositionGetDouble(POSITION_VOLUME);
      double lots = volume <= 0 ? posVol : MathMin(posVol, NormalizeDouble(volume - closed, 8));
      double step = SymbolInfoDouble(symbol, SYMBOL_VOLUME_STEP);
      if(step > 0)
         lots = NormalizeDouble(MathFloor(lots / step + 1e-7) * step, 8);
      if(lots <= 0 || lots < SymbolInfoDouble(symbol, SYMBOL_VOLUME_MIN) - 1e-9)
        {
         o.error = "the remaining " + Num(volume - closed) + " lots are below " + symbol + "'s minimum lot; not closed";
         break;
        }
      if(FrozenPosition(symbol, isBuy, o))
         return false;
      MqlTradeRequest req;
      MqlTradeResult res;
      ZeroMemory(req);
      req.action = TRADE_ACTION_DEAL;
      req.position = pick;                                     // closes that position, on hedging and netting accounts
      req.symbol = symbol;
      req.volume = lots;
      req.type = isBuy ? ORDER_TYPE_SELL : ORDER_TYPE_BUY;
      req.deviation = (ulong)(int)MathMax(SlippagePoints, 0);
      req.magic = (ulong)MagicNumber;
      req.comment = id;                                        // the id on every close
      req.type_filling = DealFilling(symbol);
      double before = o.volume;
      int sent = Send(req, res, o);
      if(sent == -1)
        {
         o.result = "unknown";
         return false;
        }
      if(sent == 0)
         return false;
      if(AddDeals(res, o) <= 0)
        {
         NoDealYet(res, o);
         return false;
        }
      if(o.ticket == 0)
         o.ticket = pick;
      closed += o.volume - before;
      if(res.retcode == TRADE_RETCODE_DONE_PARTIAL)
        {
         o.error = "close partially filled";
         return false;
        }
     }
   return true;
  }

// A close is refused by the server while the position's stop or target is within the freeze level of the price.
bool FrozenPosition(const string symbol, const bool isBuy, Outcome &o)
  {
   double freeze = (double)SymbolInfoInteger(symbol, SYMBOL_TRADE_FREEZE_LEVEL) * SymbolInfoDouble(symbol, SYMBOL_POINT);
   if(freeze <= 0)
      return false;
   MqlTick tick;
   SymbolInfoTick(symbol, tick);
   double price = isBuy ? tick.bid : tick.ask;
   double sl = PositionGetDouble(POSITION_SL), tp = PositionGetDouble(POSITION_TP);
   if((sl > 0 && MathAbs(price - sl) < freeze) || (tp > 0 && MathAbs(price - tp) < freeze))
     {
      o.code = TRADE_RETCODE_FROZEN;
      o.error = "the position's stop or target is within the broker's freeze level; it cannot be closed now";
      return true;
     }
   return false;
  }

// Reduce-only exit: closes what is open (up to volume), never opens the other way. Nothing to close
// (a broker-side stop or target already closed it) is a refusal that says so.
void CloseUpTo(const string id, const string symbol, const string side, const double volume, Outcome &o)
  {
   // "buy" closes shorts, "sell" closes longs; CloseFacing takes the side of the trade.
   bool ok = CloseFacing(id, symbol, side, volume, o);
   if(o.result == "unknown")
      return;
   if(o.volume <= 1e-9 && ok)
     {
      o.result = "refused";
      o.error = "nothing to close: no open " + (side == "sell" ? "buy " : side == "buy" ? "sell " : "") + "position of this EA in "
                + symbol + " (closed at the broker already, e.g. by its stop loss?)";
      return;
     }
   Finish(o);
   if(ok && volume > 0 && o.volume < volume - 1e-9 && o.error == "")
      o.error = "only " + Num(o.volume) + " of " + Num(volume) + " lots were open";
  }

// A limit or stop order at its price (rounded to the tick size), stops measured from that price.
void PlacePending(const string id, const string symbol, const bool buy, const string type, const double lots, const double price,
                  const string slMode, const double slValue, const string tpMode, const double tpValue, Outcome &o)
  {
   double at = RoundPrice(symbol, price);
   if(at <= 0)
     {
      o.error = "a " + type + " order needs its price";
      return;
     }
   MqlTick tick;
   SymbolInfoTick(symbol, tick);
   double point = SymbolInfoDouble(symbol, SYMBOL_POINT);
   double minDist = (double)SymbolInfoInteger(symbol, SYMBOL_TRADE_STOPS_LEVEL) * point;
   double market = buy ? tick.ask : tick.bid;
   bool limit = type == "limit";
   // A buy limit / sell stop lies below the market, a sell limit / buy stop above, by at least the stops level.
   bool below = (buy && limit) || (!buy && !limit);
   if((below ? market - at : at - market) < MathMax(minDist, point))
     {
      o.code = TRADE_RETCODE_INVALID_PRICE;
      o.error = "the " + type + " price " + DoubleToString(at, (int)SymbolInfoInteger(symbol, SYMBOL_DIGITS))
                + " is on the wrong side of the market or within the broker's stops level";
      return;
     }
   double sl = Level(symbol, slMode, slValue, at, buy, true);
   double tp = Level(symbol, tpMode, tpValue, at, buy, false);
   if(!StopsValid(symbol, buy, at, sl, tp, o))
      return;
   MqlTradeRequest req;
   MqlTradeResult res;
   ZeroMemory(req);
   req.action = TRADE_ACTION_PENDING;
   req.symbol = symbol;
   req.volume = lots;
   req.type = limit ? (buy ? ORDER_TYPE_BUY_LIMIT : ORDER_TYPE_SELL_LIMIT) : (buy ? ORDER_TYPE_BUY_STOP : ORDER_TYPE_SELL_STOP);
   req.price = at;
   req.sl = sl;
   req.tp = tp;
   req.magic = (ulong)MagicNumber;
   req.comment = id;
   req.type_filling = ORDER_FILLING_RETURN;
   // Good till cancelled when the symbol allows it, else for the day (SYMBOL_EXPIRATION_MODE).
   long expiration = SymbolInfoInteger(symbol, SYMBOL_EXPIRATION_MODE);
   req.type_time = (expiration & SYMBOL_EXPIRATION_GTC) == SYMBOL_EXPIRATION_GTC ? ORDER_TIME_GTC : ORDER_TIME_DAY;
   int sent = Send(req, res, o);
   if(sent == 1)
     {
      o.result = "placed";
      o.ticket = res.order;
      o.error = "";
     }
   else if(sent == -1)
      o.result = "unknown";
  }

// Deletes a pending order (TRADE_ACTION_REMOVE). OrderSelect: https://www.mql5.com/en/docs/trading/orderselect
void Cancel(const string id, const ulong ticket, Outcome &o)
  {
   if(ticket == 0 || !OrderSelect(ticket))
     {
      o.error = "no pending order " + IntegerToString((long)ticket) + " (filled or cancelled already?)";
      return;
     }
   string symbol = OrderGetString(ORDER_SYMBOL);
   double freeze = (double)SymbolInfoInteger(symbol, SYMBOL_TRADE_FREEZE_LEVEL) * SymbolInfoDouble(symbol, SYMBOL_POINT);
   MqlTick tick;
   SymbolInfoTick(symbol, tick);
   double at = OrderGetDouble(ORDER_PRICE_OPEN);
   if(freeze > 0 && (MathAbs(tick.bid - at) < freeze || MathAbs(tick.ask - at) < freeze))
     {
      o.code = TRADE_RETCODE_FROZEN;
      o.error = "the order is within the broker's freeze level of the price; it cannot be cancelled now";
      return;
     }
   MqlTradeRequest req;
   MqlTradeResult res;
   ZeroMemory(req);
   req.action = TRADE_ACTION_REMOVE;
   req.order = ticket;
   req.comment = id;
   int sent = Send(req, res, o);
   if(sent == 1)
     {
      o.result = "placed";                                     // done: the ack of a cancel is "placed" (nothing traded)
      o.ticket = ticket;
     }
   else if(sent == -1)
      o.result = "unknown";
  }

//+------------------------------------------------------------------+
//| recording and recovery                                           |
//+------------------------------------------------------------------+
// Records an outcome in the terminal's global variables and flushes them, so a repeated delivery,
// also after a restart, is answered with the same result. GlobalVariableSet: https://www.mql5.com/en/docs/globals/globalvariableset
void Record(const string id, Outcome &o)
  {
   double r = o.result == "filled" ? R_FILLED : o.result == "placed" ? R_PLACED : o.result == "expired" ? R_EXPIRED
              : o.result == "unknown" ? R_UNKNOWN : R_REFUSED;
   GlobalVariableSet(Key(id, "r"), r);
   GlobalVariableSet(Key(id, "t"), (double)o.ticket);
   GlobalVariableSet(Key(id, "v"), o.volume);
   GlobalVariableSet(Key(id, "p"), o.volume > 0 ? o.notional / o.volume : 0);
   GlobalVariableSet(Key(id, "e"), (double)o.code);
   if(!GlobalVariableCheck(Key(id, "s")))
      GlobalVariableSet(Key(id, "s"), ST_NEW);
   GlobalVariableSet(Key(id, "s"), ST_DONE);                   // written last: its value means "recorded"
   GlobalVariablesFlush();
  }

void AckRecorded(const string id)
  {
   Outcome o;
   ResetOutcome(o);
   double r = GlobalVariableGet(Key(id, "r"));
   o.result = r == R_FILLED ? "filled" : r == R_PLACED ? "placed" : r == R_EXPIRED ? "expired" : r == R_UNKNOWN ? "unknown" : "refused";
   o.ticket = (ulong)GlobalVariableGet(Key(id, "t"));
   o.volume = GlobalVariableGet(Key(id, "v"));
   o.notional = o.volume * GlobalVariableGet(Key(id, "p"));
   o.code = (int)GlobalVariableGet(Key(id, "e"));
   o.error = o.result == "filled" || o.result == "placed" ? "" : "recorded earlier";
   Ack(id, o);
}

// A claimed id without a recorded outcome: the EA stopped between sending and recording. Rebuilds what
// happened from this EA's orders and deals carrying the id (the order comment as sent; a deal comment
// the server rewrote is matched through its order), else "unknown". Never trades again.
// HistoryOrdersTotal / HistoryOrderGetTicket: https://www.mql5.com/en/docs/trading/historyordergetticket
// HistoryDealsTotal / HistoryDealGetTicket: https://www.mql5.com/en/docs/trading/historydealgetticket
// OrdersTotal / OrderGetTicket: https://www.mql5.com/en/docs/trading/ordergetticket
void Recover(const string id, Outcome &o)
  {
   ulong orders[];
   int n = 0;
   if(HistorySelect(TimeCurrent() - 7 * 86400, TimeCurrent() + 86400))
     {
      int total = HistoryOrdersTotal();
      for(int i = 0; i < total; i++)
        {
         ulong t = HistoryOrderGetTicket(i);
         if(t > 0 && HistoryOrderGetInteger(t, ORDER_MAGIC) == MagicNumber && HistoryOrderGetString(t, ORDER_COMMENT) == id)
           {
            ArrayResize(orders, n + 1);
            orders[n++] = t;
           }
        }
      int deals = HistoryDealsTotal();
      for(int i = 0; i < deals; i++)
        {
         ulong d = HistoryDealGetTicket(i);
         if(d == 0)
            continue;
         bool mine = HistoryDealGetInteger(d, DEAL_MAGIC) == MagicNumber && HistoryDealGetString(d, DEAL_COMMENT) == id;
         ulong ord = (ulong)HistoryDealGetInteger(d, DEAL_ORDER);
         for(int k = 0; k < n && !mine; k++)
            if(orders[k] == ord)
               mine = true;
         if(mine)
           {
            double v = HistoryDealGetDouble(d, DEAL_VOLUME);
            o.volume += v;
            o.notional += v * HistoryDealGetDouble(d, DEAL_PRICE);
            o.ticket = (ulong)HistoryDealGetInteger(d, DEAL_POSITION_ID);
           }
        }
     }
   if(o.volume > 1e-9)
     {
      o.result = "filled";
      o.error = "rebuilt from the deal history after a restart";
      return;
     }
   for(int i = OrdersTotal() - 1; i >= 0; i--)
     {
      ulong t = OrderGetTicket(i);
      if(t > 0 && OrderGetInteger(ORDER_MAGIC) == MagicNumber && OrderGetString(ORDER_COMMENT) == id)
        {
         o.result = "placed";
         o.ticket = t;
         return;
        }
     }
   o.result = "unknown";
   o.error = "the EA stopped while executing this command and found no deal of it; check the terminal";
  }

void Ack(const string id, Outcome &o)
  {
   double price = o.volume > 0 ? o.notional / o.volume : 0;
   string body = "{\"id\":\"" + Esc(id) + "\",\"result\":\"" + o.result + "\",\"ticket\":" + IntegerToString((long)o.ticket)
                 + ",\"price\":" + Num(price) + ",\"volume\":" + Num(o.volume) + ",\"error_code\":" + IntegerToString(o.code)
                 + ",\"error\":\"" + Esc(o.error) + "\"}";
   string answer;
   // A lost ack is repeated on the next delivery of the id, from the recorded outcome.
   Post("ack", body, answer);
  }

//+------------------------------------------------------------------+
//| state                                                            |
//+------------------------------------------------------------------+
void PushState(const bool canTrade, const string why)
  {
   string rows = "";
   for(int i = 0; i < PositionsTotal(); i++)
     {
      ulong ticket = PositionGetTicket(i);
      if(ticket == 0 || PositionGetInteger(POSITION_MAGIC) != MagicNumber)
         continue;
      bool buy = PositionGetInteger(POSITION_TYPE) == POSITION_TYPE_BUY;
      rows += (rows == "" ? "" : ",") + "{\"ticket\":\"" + IntegerToString((long)ticket) + "\",\"symbol\":\""
              + Esc(PositionGetString(POSITION_SYMBOL)) + "\",\"side\":\"" + (buy ? "buy" : "sell") + "\",\"volume\":"
              + Num(PositionGetDouble(POSITION_VOLUME)) + ",\"price\":" + Num(PositionGetDouble(POSITION_PRICE_OPEN)) + "}";
     }
   string body = "{\"positions\":[" + rows + "],\"account\":{\"balance\":" + Num(AccountInfoDouble(ACCOUNT_BALANCE))
                 + ",\"equity\":" + Num(AccountInfoDouble(ACCOUNT_EQUITY)) + ",\"currency\":\""
                 + Esc(AccountInfoString(ACCOUNT_CURRENCY)) + "\"},\"can_trade\":" + (canTrade ? "true" : "false")
                 + ",\"cannot_trade_reason\":\"" + Esc(why) + "\"}";
   string answer;
   if(Post("state", body, answer) == 200)
     {
      g_lastState = GetTickCount();
      g_lastCanTrade = canTrade;
     }
  }
//+------------------------------------------------------------------+
