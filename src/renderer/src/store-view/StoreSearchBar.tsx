// Search of the Store view: a filter on the values' top-level fields (JSON, LangGraph's operators
// $eq $ne $gt $gte $lt $lte $in $nin) and, where the store is indexed, a query by meaning.
import { useState } from "react";
import { parseFilter, storeViewSelectors, useStoreView } from "../stores/store";

export function StoreSearchBar() {
  const search = useStoreView(storeViewSelectors.search);
  const setSearch = useStoreView((s) => s.setSearch);
  const semantic = useStoreView(storeViewSelectors.semanticSearch);
  const [filter, setFilter] = useState(search.filter);
  const [query, setQuery] = useState(search.query);
  const parsed = parseFilter(filter);
  return (
    <form
      className="sv-search"
      onSubmit={(e) => {
        e.preventDefault();
        if (parsed.ok) void setSearch({ filter, query });
      }}
    >
      <input
        className="mono"
        data-testid="store-filter"
        placeholder='filter, e.g. {"kind": "note"} or {"n": {"$gt": 3}}'
        value={filter}
        onChange={(e) => setFilter(e.target.value)}
        aria-invalid={!parsed.ok}
        aria-label="Filter"
      />
      {semantic && <input data-testid="store-query" placeholder="search by meaning" value={query} onChange={(e) => setQuery(e.target.value)} aria-label="Query" />}
      <button type="submit" className="primary small" disabled={!parsed.ok} data-testid="store-search">
        Search
      </button>
      {!parsed.ok && filter.trim() !== "" && (
        <span className="small error-text" data-testid="store-filter-error">
          {parsed.error}
        </span>
      )}
    </form>
  );
}
