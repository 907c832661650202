// A complaint status's colour, shared by the list, the complaint and the dashboard's counts (a
// file of its own so the dashboard does not load the complaints list screen).
export const statusColor: Record<string, string> = {
  baru: 'blue',
  diproses: 'yellow',
  selesai: 'green',
  ditolak: 'gray',
};
