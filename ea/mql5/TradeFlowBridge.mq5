//+------------------------------------------------------------------+
//| TradeFlowBridge.mq5 - connects a MetaTrader 5 terminal to        |
//| TradeFlow. The router cannot call the terminal, so this EA calls |
//| out: it polls the router for commands, executes each command id  |
//| at most once, acknowledges it (ticket, fill price, volume or     |
//| error), pushes open positions and the account, and heartbeats.   |
//| Protocol: README.md, section "MetaTrader 4/5 (mtx)".             |
//+------------------------------------------------------------------+
#property copyright "TradeFlow"
#property version   "1.00"
#property strict

#include <Trade\Trade.mqh>

input string RouterUrl      = "https://your-tradeflow-host"; // allow it in Tools > Options > Expert Advisors
input string LicenseToken   = "";                            // the account's mtx license token
input int    PollSeconds    = 1;                             // how often to poll when idle
input int    LongPollMillis = 0;                             // >0: let the router hold the poll open this long
input int    StateSeconds   = 10;                            // how often to push positions and account
input int    SlippagePoints = 20;
input long   MagicNumber    = 20261123;

CTrade   trade;
datetime lastState = 0;

// ---- HTTP ----------------------------------------------------------------

// POSTs body to RouterUrl + /api/mtx/v1/<endpoint>; returns the HTTP status, the body in answer.
int Post(const string endpoint, const string body, string &answer)
  {
   char data[];
   char result[];
   string responseHeaders;
   int n = StringToCharArray(body, data, 0, WHOLE_ARRAY, CP_UTF8);
   ArrayResize(data, MathMax(n - 1, 0));                     // drop the terminating zero
   string headers = "Authorization: Bearer " + LicenseToken + "\r\nContent-Type: application/json\r\n";
   int timeout = 5000 + LongPollMillis;
   ResetLastError();
   int status = WebRequest("POST", RouterUrl + "/api/mtx/v1/" + endpoint, headers, timeout, data, result, responseHeaders);
   if(status == -1)
     {
      int err = GetLastError();
      if(err == 4014)
         Print("TradeFlow: add ", RouterUrl, " to Tools > Options > Expert Advisors > Allow WebRequest");
      else
         Print("TradeFlow: ", endpoint, " failed, error ", err);
      return -1;
     }
   answer = CharArrayToString(result, 0, WHOLE_ARRAY, CP_UTF8);
   return status;
  }

string Num(const double v) { return DoubleToString(v, 8); }

// ---- lifecycle -----------------------------------------------------------

int OnInit()
  {
   if(StringLen(LicenseToken) < 20)
     {
      Print("TradeFlow: set LicenseToken to the token shown when the mtx account was created");
      return INIT_PARAMETERS_INCORRECT;
     }
   trade.SetExpertMagicNumber(MagicNumber);
   trade.SetDeviationInPoints(SlippagePoints);
   EventSetTimer(MathMax(PollSeconds, 1));
   string answer;
   Post("heartbeat", "{}", answer);
   PushState();
   return INIT_SUCCEEDED;
  }

void OnDeinit(const int reason) { EventKillTimer(); }

void OnTimer()
  {
   string answer;
   int status = Post("poll?format=text&wait_ms=" + IntegerToString(LongPollMillis), "{}", answer);
   if(status == 200)
      HandleCommands(answer);
   else if(status == 401)
      Print("TradeFlow: the router does not know this license token");
   if(TimeCurrent() - lastState >= StateSeconds)
      PushState();
  }

// ---- commands ------------------------------------------------------------
// Poll answer: "commands=N" then one line per command:
// id|action|symbol|side|type|volume|price|sl_mode|sl|tp_mode|tp|ticket

void HandleCommands(const string text)
  {
   string lines[];
   int count = StringSplit(text, '\n', lines);
   for(int i = 1; i < count; i++)
     {
      string f[];
      if(StringSplit(lines[i], '|', f) < 12)
         continue;
      Execute(f);
     }
  }

// A command id already executed is acknowledged again with its recorded ticket, never re-executed:
// the router delivers a command again when the EA did not receive (or answer) a poll.
void Execute(string &f[])
  {
   string id = f[0];
   string key = "TF_" + id;
   if(GlobalVariableCheck(key + "_t"))
     {
      double recorded = GlobalVariableGet(key + "_t");
      if(recorded > 0)
         Ack(id, true, (ulong)recorded, GlobalVariableGet(key + "_p"), GlobalVariableGet(key + "_v"), 0, "");
      else
         Ack(id, false, 0, 0, 0, (int)GlobalVariableGet(key + "_e"), "refused earlier");
      return;
     }
   ulong found = TicketWithComment(id);
   if(found > 0)
     {
      Record(key, found, FoundPrice(found), FoundVolume(found), 0);
      Ack(id, true, found, FoundPrice(found), FoundVolume(found), 0, "");
      return;
     }
   string action = f[1], symbol = f[2], side = f[3], type = f[4];
   double volume = StringToDouble(f[5]), price = StringToDouble(f[6]);
   double sl = StringToDouble(f[8]), tp = StringToDouble(f[10]);
   SymbolSelect(symbol, true);
   bool ok = false;
   if(action == "open")
     {
      bool buy = side == "buy";
      double ref = type == "market" ? (buy ? SymbolInfoDouble(symbol, SYMBOL_ASK) : SymbolInfoDouble(symbol, SYMBOL_BID)) : price;
      double slPrice = Level(symbol, f[7], sl, ref, buy, true);
      double tpPrice = Level(symbol, f[9], tp, ref, buy, false);
      if(type == "market")
        {
         // The router trades net quantities: on a hedging account an order against this EA's open
         // positions closes them first, and only the rest opens a new position.
         double closed = CloseOpposite(symbol, buy, volume);
         double rest = NormalizeDouble(volume - closed, 8);
         ok = rest <= 0 || (buy ? trade.Buy(rest, symbol, 0, slPrice, tpPrice, id) : trade.Sell(rest, symbol, 0, slPrice, tpPrice, id));
        }
      else if(type == "limit")
         ok = buy ? trade.BuyLimit(volume, price, symbol, slPrice, tpPrice, ORDER_TIME_GTC, 0, id)
                  : trade.SellLimit(volume, price, symbol, slPrice, tpPrice, ORDER_TIME_GTC, 0, id);
      else if(type == "stop")
         ok = buy ? trade.BuyStop(volume, price, symbol, slPrice, tpPrice, ORDER_TIME_GTC, 0, id)
                  : trade.SellStop(volume, price, symbol, slPrice, tpPrice, ORDER_TIME_GTC, 0, id);
     }
   else if(action == "close")
      ok = ClosePositions(symbol, volume);
   else if(action == "cancel")
      ok = trade.OrderDelete((ulong)StringToInteger(f[11]));
   uint code = trade.ResultRetcode();
   if(ok && (code == TRADE_RETCODE_DONE || code == TRADE_RETCODE_PLACED || code == TRADE_RETCODE_DONE_PARTIAL))
     {
      ulong ticket = trade.ResultDeal() > 0 ? trade.ResultDeal() : trade.ResultOrder();
      double filled = action == "open" && type == "market" ? volume : 0;
      Record(key, ticket, trade.ResultPrice(), filled, 0);
      Ack(id, true, ticket, trade.ResultPrice(), filled, 0, "");
     }
   else
     {
      Record(key, 0, 0, 0, (int)code);
      Ack(id, false, 0, 0, 0, (int)code, trade.ResultRetcodeDescription());
     }
  }

// Remembers a command's outcome in terminal global variables (they survive an EA or terminal
// restart), so a repeated delivery is answered with the same result.
void Record(const string key, const ulong ticket, const double price, const double volume, const int code)
  {
   GlobalVariableSet(key + "_p", price);
   GlobalVariableSet(key + "_v", volume);
   GlobalVariableSet(key + "_e", code);
   GlobalVariableSet(key + "_t", (double)ticket);    // written last: its presence means "recorded"
  }

double FoundPrice(const ulong ticket)
  {
   if(PositionSelectByTicket(ticket))
      return PositionGetDouble(POSITION_PRICE_OPEN);
   return 0;
  }

double FoundVolume(const ulong ticket)
  {
   if(PositionSelectByTicket(ticket))
      return PositionGetDouble(POSITION_VOLUME);
   return 0;                                         // a pending order has filled nothing yet
  }

// sl/tp as an absolute price ("price") or a distance in pips ("pips") from the reference price.
double Level(const string symbol, const string mode, const double value, const double ref, const bool buy, const bool isStop)
  {
   if(mode == "price")
      return value;
   if(mode != "pips" || value <= 0)
      return 0;
   int digits = (int)SymbolInfoInteger(symbol, SYMBOL_DIGITS);
   double pip = SymbolInfoDouble(symbol, SYMBOL_POINT) * ((digits == 3 || digits == 5) ? 10 : 1);
   double distance = value * pip;
   bool below = (buy && isStop) || (!buy && !isStop);
   return NormalizeDouble(below ? ref - distance : ref + distance, digits);
  }

// Closes up to volume lots of this EA's positions in symbol that face the other way; returns the lots closed.
double CloseOpposite(const string symbol, const bool buy, const double volume)
  {
   double closed = 0;
   for(int i = PositionsTotal() - 1; i >= 0 && closed < volume; i--)
     {
      ulong ticket = PositionGetTicket(i);
      if(PositionGetString(POSITION_SYMBOL) != symbol || PositionGetInteger(POSITION_MAGIC) != MagicNumber)
         continue;
      bool isBuy = PositionGetInteger(POSITION_TYPE) == POSITION_TYPE_BUY;
      if(isBuy == buy)
         continue;
      double lots = MathMin(PositionGetDouble(POSITION_VOLUME), volume - closed);
      bool done = lots >= PositionGetDouble(POSITION_VOLUME) ? trade.PositionClose(ticket) : trade.PositionClosePartial(ticket, lots);
      if(!done)
         break;
      closed += lots;
     }
   return closed;
  }

// Closes up to volume lots (0 = everything) of this EA's positions in symbol.
bool ClosePositions(const string symbol, double volume)
  {
   bool all = volume <= 0, ok = true;
   for(int i = PositionsTotal() - 1; i >= 0; i--)
     {
      ulong ticket = PositionGetTicket(i);
      if(PositionGetString(POSITION_SYMBOL) != symbol || PositionGetInteger(POSITION_MAGIC) != MagicNumber)
         continue;
      double lots = PositionGetDouble(POSITION_VOLUME);
      if(all || volume >= lots)
        {
         ok = trade.PositionClose(ticket) && ok;
         volume -= lots;
        }
      else if(volume > 0)
        {
         ok = trade.PositionClosePartial(ticket, volume) && ok;
         volume = 0;
        }
     }
   return ok;
  }

// A position or pending order this EA opened for the command id (the id is the comment), or 0:
// covers an EA restart between executing a command and recording it.
ulong TicketWithComment(const string id)
  {
   for(int i = PositionsTotal() - 1; i >= 0; i--)
     {
      ulong ticket = PositionGetTicket(i);
      if(PositionGetString(POSITION_COMMENT) == id)
         return ticket;
     }
   for(int i = OrdersTotal() - 1; i >= 0; i--)
     {
      ulong ticket = OrderGetTicket(i);
      if(OrderGetString(ORDER_COMMENT) == id)
         return ticket;
     }
   return 0;
  }

void Ack(const string id, const bool ok, const ulong ticket, const double price, const double volume,
         const int code, const string error)
  {
   string body = "{\"id\":\"" + id + "\",\"ok\":" + (ok ? "true" : "false") + ",\"ticket\":" + IntegerToString((long)ticket)
                 + ",\"price\":" + Num(price) + ",\"volume\":" + Num(volume) + ",\"error_code\":" + IntegerToString(code)
                 + ",\"error\":\"" + error + "\"}";
   string answer;
   Post("ack", body, answer);
  }

// ---- state ---------------------------------------------------------------

void PushState()
  {
   string rows = "";
   for(int i = 0; i < PositionsTotal(); i++)
     {
      ulong ticket = PositionGetTicket(i);
      if(PositionGetInteger(POSITION_MAGIC) != MagicNumber)
         continue;
      bool buy = PositionGetInteger(POSITION_TYPE) == POSITION_TYPE_BUY;
      rows += (rows == "" ? "" : ",") + "{\"ticket\":\"" + IntegerToString((long)ticket) + "\",\"symbol\":\""
              + PositionGetString(POSITION_SYMBOL) + "\",\"side\":\"" + (buy ? "buy" : "sell") + "\",\"volume\":"
              + Num(PositionGetDouble(POSITION_VOLUME)) + ",\"price\":" + Num(PositionGetDouble(POSITION_PRICE_OPEN)) + "}";
     }
   string body = "{\"positions\":[" + rows + "],\"account\":{\"balance\":" + Num(AccountInfoDouble(ACCOUNT_BALANCE))
                 + ",\"equity\":" + Num(AccountInfoDouble(ACCOUNT_EQUITY)) + ",\"currency\":\""
                 + AccountInfoString(ACCOUNT_CURRENCY) + "\"}}";
   string answer;
   if(Post("state", body, answer) == 200)
      lastState = TimeCurrent();
  }
//+------------------------------------------------------------------+
