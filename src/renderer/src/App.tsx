export function App() {
  return (
    <main data-app-state="ready">
      <h1>Threadline</h1>
      <p>The inspector UI arrives with the UI issue; the engine and its contract come first.</p>
    </main>
  );
}
