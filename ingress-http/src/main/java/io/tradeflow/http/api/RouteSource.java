package io.tradeflow.http.api;

import java.util.List;

/** A group of routes for one resource (auth, accounts, trading, ...). */
public interface RouteSource {
    List<Route> routes();
}
